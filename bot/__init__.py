"""Jeugdstem's survey engine, its channel adapters (Telegram, console) and the CLI."""
