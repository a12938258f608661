"""A category's extra questions (Open311 "attributes"), read in one place.

`Category.questions` is stored as JSON and edited in the admin; `parse_questions` is
the only reader of that JSON. `Category.clean()` refuses what it refuses, and every
reader — the answers check, Open311, the map's report form, the report page and the
workspace — works on the `Question`s it returns (docs/architecture.md, "Category
questions"), so all of them see the same labels, types and choices."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

LISTS = ("singlevaluelist", "multivaluelist")
# The datatypes a question may have (a subset of Open311's), each with the words that
# tell an Open311 client what to send when the question gives none of its own.
DATATYPES = {
    "string": gettext_lazy("строка без переводов строки, до 1000 символов"),
    "text": gettext_lazy("текст, до 1000 символов"),
    "number": gettext_lazy("число, дробная часть через точку"),
    "singlevaluelist": gettext_lazy("один из вариантов (key)"),
    "multivaluelist": gettext_lazy("один или несколько вариантов (key)"),
}


def in_english(language=None):
    """Whether `language` (by default the request's) asks for the English texts."""
    return (language or get_language() or "").startswith("en")


@dataclass(frozen=True)
class Choice:
    """An option of a list question; `key` is what is sent and stored."""

    key: str
    name: str
    name_en: str = ""

    def name_in(self, language=None):
        return (in_english(language) and self.name_en) or self.name


@dataclass(frozen=True)
class Question:
    code: str
    label: str
    label_en: str = ""
    datatype: str = "string"
    required: bool = False
    values: tuple[Choice, ...] = ()  # only list questions have them
    datatype_description: str = ""

    @property
    def is_list(self):
        return self.datatype in LISTS

    def label_in(self, language=None):
        return (in_english(language) and self.label_en) or self.label

    def describe_datatype(self):
        return self.datatype_description or str(DATATYPES[self.datatype])

    def shown(self, value, language=None):
        """A stored answer as a person reads it: list keys by their options' names."""
        return _shown(value, {c.key: c.name_in(language) for c in self.values})


def labelled_answers(questions, answers, language=None):
    """[(label, shown answer)] of a report's stored answers, in their stored order;
    an answer to a question the category no longer has keeps its code and value."""
    by_code = {q.code: q for q in questions}
    pairs = []
    for code, value in answers.items():
        question = by_code.get(code)
        if question is None:
            pairs.append((code, _shown(value, {})))
        else:
            pairs.append((question.label_in(language), question.shown(value, language)))
    return pairs


def _shown(value, names):
    values = value if isinstance(value, list) else [value]
    return ", ".join(names.get(str(v), str(v)) for v in values)


def parse_questions(raw):
    """The stored JSON as a list of `Question`s; ValidationError naming the first
    wrong question by its number and saying why."""
    if not isinstance(raw, list):
        raise ValidationError(_("ожидается список вопросов [...]"), code="questions")
    questions, codes = [], set()
    for number, item in enumerate(raw, 1):
        question = _question(number, item, codes)
        codes.add(question.code)
        questions.append(question)
    return questions


def _question(number, item, codes):
    if not isinstance(item, dict) or not _filled(item.get("code")):
        _refuse(_("вопрос %d: нужен объект с полем code") % number)
    code = item["code"]
    if code in codes:
        _refuse(
            _("вопрос %(n)d: код «%(code)s» повторяется") % {"n": number, "code": code}
        )
    if not _filled(item.get("label")):
        _refuse(_("вопрос %d: нужно поле label") % number)
    datatype = item.get("datatype", "string")
    if not (isinstance(datatype, str) and datatype in DATATYPES):
        types = ", ".join(sorted(DATATYPES))
        _refuse(
            _("вопрос %(n)d: datatype одно из %(types)s")
            % {"n": number, "types": types}
        )
    required = item.get("required", False)
    if not isinstance(required, bool):
        _refuse(_("вопрос %d: required — true или false") % number)
    return Question(
        code=code,
        label=item["label"],
        label_en=_text(number, item, "label_en"),
        datatype=datatype,
        required=required,
        values=_choices(number, item.get("values")) if datatype in LISTS else (),
        datatype_description=_text(number, item, "datatype_description"),
    )


def _choices(number, values):
    if not (isinstance(values, list) and values and all(map(_has_key, values))):
        _refuse(_("вопрос %d: для списка нужны values: [{key, name}]") % number)
    choices = [_choice(number, value) for value in values]
    keys = [choice.key for choice in choices]
    repeated = next((key for key in keys if keys.count(key) > 1), None)
    if repeated is not None:
        _refuse(
            _("вопрос %(n)d: вариант «%(key)s» повторяется")
            % {"n": number, "key": repeated}
        )
    return tuple(choices)


def _has_key(value):
    # A key is sent back as text: a number is welcome, a list or null is not.
    key = value.get("key") if isinstance(value, dict) else None
    return (isinstance(key, int) and not isinstance(key, bool)) or _filled(key)


def _choice(number, value):
    key = str(value["key"])
    name = _text(number, value, "name") or key
    return Choice(key=key, name=name, name_en=_text(number, value, "name_en"))


def _text(number, item, field):
    """An optional text of a question or an option: "" when absent."""
    value = item.get(field)
    if value is None:
        return ""
    if not isinstance(value, str):
        _refuse(
            _("вопрос %(n)d: %(field)s — ожидается строка")
            % {"n": number, "field": field}
        )
    return value


def _filled(value):
    return isinstance(value, str) and bool(value.strip())


def _refuse(message):
    raise ValidationError(message, code="questions")
