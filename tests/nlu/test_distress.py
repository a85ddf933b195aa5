"""The distress detector: held-out quality, hard negatives, languages, ordering, data files."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import nlu.distress
from nlu.distress import (
    KINDS,
    NONE,
    SEVERITY,
    TEST_PATH,
    TRAIN_PATH,
    Distress,
    DistressDetector,
    default_examples,
    load_examples,
    normalise,
    pattern_kinds,
)

RECALL_TARGET = 0.95
PRECISION_TARGET = 0.85

# The hard negatives of the distress issue: each must stay negative, patterns and model.
HARD_NEGATIVES = [
    "ik verveel me dood",
    "mijn vader is streng",
    "ik ben gebuisd",
    "ik ga dood van het lachen",
    "die les is moordend saai",
    "het is killing",
    "slaan bij tennis",
    "ik schiet een bal",
    "mijn ma wil nie dat ik ga",
    "ik ben bang om alleen te gaan",
    "ik heb schrik van nieuwe mensen",
    "ik ben verlegen",
    "de trainer roept veel",
    "ik sterf van de honger",
    "on se tue de rire",
    "that game killed me lol",
    "the test was murder",
    "dood moe",
    "doodsaai",
]

# Each category in standard Dutch, West-Flemish, French and English.
BY_LANGUAGE = [
    ("self_harm", "nl", "ik zie het niet meer zitten"),
    ("self_harm", "nl", "ik wil er niet meer zijn"),
    ("self_harm", "west-flemish", "'k ben 't beu om te leven"),
    ("self_harm", "west-flemish", "'k zie 't nie mier zitten"),
    ("self_harm", "nl slang", "ik snij mezelf"),
    ("self_harm", "nl", "niemand zou me missen"),
    ("self_harm", "fr", "je veux mourir"),
    ("self_harm", "en", "i want to kms"),
    ("abuse", "nl", "mijn vader slaat me"),
    ("abuse", "nl", "mijn stiefvader komt 's nachts aan mij"),
    ("abuse", "nl", "mijn lief dwingt me"),
    ("abuse", "west-flemish", "ma kluppe mij"),
    ("abuse", "west-flemish", "mien va klopt mie"),
    ("abuse", "fr", "il me frappe"),
    ("abuse", "en", "my dad hits me"),
    ("threat", "nl", "ze gaan me pakken na school"),
    ("threat", "nl", "ik ga hem neersteken"),
    ("threat", "nl", "ze dreigen mijn foto's te verspreiden"),
    ("threat", "nl", "ze slaan me elke dag"),
    ("threat", "west-flemish", "ze goan mie pakken achter school"),
    ("threat", "fr", "ils vont me frapper après l'école"),
    ("threat", "en", "they threatened to post my nudes"),
    ("danger", "nl", "help er is iemand met een mes"),
    ("danger", "nl", "ik ben in gevaar"),
    ("danger", "nl", "ik word gevolgd nu"),
    ("danger", "west-flemish", "'k zyn in gevoar"),
    ("danger", "fr", "je suis en danger"),
    ("danger", "en", "someone is following me rn"),
]


@pytest.fixture(scope="module")
def detector() -> DistressDetector:
    return DistressDetector.default()


def _figures(detector: DistressDetector) -> tuple[float, float]:
    """Recall and precision of 'is this distress' on the held-out split."""
    test = load_examples(TEST_PATH)
    truth = [label != NONE for _, label in test]
    flagged = [bool(detector.detect(text)) for text, _ in test]
    hits = sum(t and f for t, f in zip(truth, flagged, strict=True))
    return hits / sum(truth), hits / max(sum(flagged), 1)


def test_held_out_recall_and_precision_meet_the_targets(detector: DistressDetector) -> None:
    recall, precision = _figures(detector)
    assert recall >= RECALL_TARGET, f"recall {recall:.3f} < {RECALL_TARGET}"
    assert precision >= PRECISION_TARGET, f"precision {precision:.3f} < {PRECISION_TARGET}"


def test_held_out_category_recall(detector: DistressDetector) -> None:
    """The right helplines need the right kind, not just a flag."""
    test = load_examples(TEST_PATH)
    for kind in KINDS:
        texts = [text for text, label in test if label == kind]
        found = sum(kind in detector.detect(text).kinds for text in texts)
        assert found / len(texts) >= 0.9, f"{kind}: {found} of {len(texts)}"


@pytest.mark.parametrize("text", HARD_NEGATIVES)
def test_hard_negatives_stay_negative(detector: DistressDetector, text: str) -> None:
    verdict = detector.detect(text)
    assert not verdict, f"{text!r} flagged {verdict.kinds}"
    assert verdict.kinds == ()
    assert not pattern_kinds(text)


@pytest.mark.parametrize(("kind", "language", "text"), BY_LANGUAGE)
def test_each_category_is_detected_in_each_language(
    detector: DistressDetector, kind: str, language: str, text: str
) -> None:
    verdict = detector.detect(text)
    assert kind in verdict.kinds, f"{language}: {text!r} -> {verdict.kinds}"
    assert verdict.by_patterns, "the known phrasings are the patterns' job"


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("ik heb net al mijn pillen genomen", ("danger", "self_harm")),
        ("hij slaat me", ("abuse", "threat")),
        ("mijn vader heeft een mes en ik wil dood", ("danger", "self_harm")),
        ("ze gaan me pakken na school en ik wil er niet meer zijn", ("self_harm", "threat")),
    ],
)
def test_kinds_are_ordered_most_urgent_first(
    detector: DistressDetector, text: str, kinds: tuple[str, ...]
) -> None:
    assert detector.detect(text).kinds == kinds


def test_every_verdict_on_the_test_set_is_ordered_by_severity(
    detector: DistressDetector,
) -> None:
    for text, _ in load_examples(TEST_PATH):
        kinds = detector.detect(text).kinds
        assert list(kinds) == sorted(kinds, key=SEVERITY.index)
        assert set(kinds) <= set(KINDS)


def test_distress_is_false_without_kinds() -> None:
    assert not Distress(())
    assert Distress(("threat",))
    assert SEVERITY[0] == "danger"
    assert set(SEVERITY) == set(KINDS)


def test_the_model_adds_a_kind_only_when_the_patterns_find_none() -> None:
    """A detector trained on made-up words: patterns know nothing of them, the model does."""
    examples = [(f"blauwe olifanten {i} zingen", "self_harm") for i in range(20)]
    examples += [(f"rode tafels {i} staan stil", NONE) for i in range(20)]
    detector = DistressDetector.train(examples)
    by_model = detector.detect("blauwe olifanten zingen")
    assert by_model.kinds == ("self_harm",)
    assert by_model.by_model and not by_model.by_patterns
    assert not detector.detect("rode tafels staan stil")
    # The patterns decide the kinds when they match, whatever the model says.
    by_patterns = detector.detect("help er is iemand met een mes")
    assert by_patterns.kinds == ("danger",)
    assert by_patterns.by_patterns


def test_save_and_load_detect_the_same(detector: DistressDetector, tmp_path: Path) -> None:
    path = tmp_path / "models" / "distress.joblib"
    detector.save(path)
    loaded = DistressDetector.load(path)
    assert loaded.version == detector.version
    assert loaded.threshold == detector.threshold
    for text, _ in load_examples(TEST_PATH)[:40]:
        assert loaded.detect(text) == detector.detect(text)


def test_training_rejects_unknown_categories() -> None:
    with pytest.raises(ValueError, match="unknown categories: sad"):
        DistressDetector.train([("x", "sad"), ("y", NONE)])


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("'k zie 't nie mier zitten", "ik zie het niet meer zitten"),
        ("HELPPPP!!! iemand volgt me 😭", "helpp . iemand volgt me"),
        ("kwil nie meer leve", "ik wil niet meer leve"),
        ("Je veux m'en aller, j'ai peur", "je veux me en aller . je ai peur"),
        ("m'n stiefpa zit aan me 's nachts", "mijn stiefpa zit aan me s nachts"),
        ("z3lfm00rd", "zelfmoord"),
        ("Suïcidaal", "suicidaal"),
    ],
)
def test_normalise(raw: str, normalised: str) -> None:
    assert normalise(raw) == normalised


def test_stretched_letters_are_read_both_ways() -> None:
    """'doooood' needs two letters left, 'helppp' one: the patterns see both."""
    assert pattern_kinds("ik wil doooood") == ("self_harm",)
    assert pattern_kinds("HELPPPP HELPPPP") == ("danger",)


def test_the_data_files_have_enough_examples() -> None:
    for path, positives, negatives in ((TRAIN_PATH, 60, 250), (TEST_PATH, 25, 100)):
        examples = load_examples(path)
        for kind in KINDS:
            count = sum(label == kind for _, label in examples)
            assert count >= positives, f"{path.name}: {kind} has {count}"
        count = sum(label == NONE for _, label in examples)
        assert count >= negatives, f"{path.name}: none has {count}"


def test_train_and_test_are_disjoint() -> None:
    """No held-out sentence, normalised, is in anything the model or patterns learn from."""
    trained_on = {normalise(text) for text, _ in default_examples()}
    overlap = [text for text, _ in load_examples(TEST_PATH) if normalise(text) in trained_on]
    assert overlap == []


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "distress.yml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        ("self_harm:\n  - ik wil dood\n  - 'k zie 't nie\n", 3, "not valid YAML"),
        ("self_harm:\n  - ik wil dood\nsadness:\n  - ik ben triest\n", 3, "unknown category"),
        ("abuse:\n  - mijn vader slaat me\n  - a: b\n", 3, "expected a text"),
        ("none:\n  - hallo\nnone:\n  - hoi\n", 3, "appears twice"),
        ("none:\n  - hallo\n  - Hallo\n", 3, "same text as line 2"),
        ("none:\n  - hallo\n  - ''\n", 3, "empty text"),
        ("threat: ik ga hem neersteken\n", 1, "expected a list"),
        ("- ik wil dood\n", 1, "expected 'category:' keys"),
        ("", 1, "empty file"),
    ],
)
def test_loader_errors_name_file_and_line(
    tmp_path: Path, content: str, line: int, message: str
) -> None:
    path = _write(tmp_path, content)
    with pytest.raises(ValueError, match=re.escape(message)) as caught:
        load_examples(path)
    assert str(caught.value).startswith(f"{path}:{line}: ")


def test_loader_keeps_yes_and_no_as_text(tmp_path: Path) -> None:
    path = _write(tmp_path, "none:\n  - yes\n  - no\n  - 112\ndanger: []\n")
    assert load_examples(path) == [("yes", NONE), ("no", NONE), ("112", NONE)]


def test_the_module_knows_nothing_of_bot_storage_or_logging() -> None:
    tree = ast.parse(Path(nlu.distress.__file__).read_text(encoding="utf-8"))
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert not imported & {"bot", "storage", "logging", "structlog"}
    calls = {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    assert "print" not in calls
