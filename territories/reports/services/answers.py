"""Answers to a category's extra questions (Open311 "attributes")."""

import math

from django.utils.translation import gettext as _

from geo.errors import Refused
from geo.text import UNSTORABLE, storable_text


def clean_answers(category, answers):
    """{question code: value} checked against the category's questions; unknown
    codes are refused, required ones must be there, lists take only their keys."""
    if not isinstance(answers, dict):
        raise Refused("answers", _("ожидаются пары «код вопроса: ответ»"))
    questions = {q.code: q for q in category.question_list}
    if any(UNSTORABLE.search(str(code)) for code in answers):
        raise Refused("answers", _("у этой категории нет такого вопроса"))
    unknown = sorted(set(answers) - set(questions))
    if unknown:
        raise Refused(f"answers.{unknown[0]}", _("у этой категории нет такого вопроса"))
    cleaned = {}
    for code, question in questions.items():
        value = answers.get(code)
        if value in (None, "", []):
            if question.required:
                raise Refused(f"answers.{code}", _("обязательный вопрос"))
            continue
        cleaned[code] = _clean_value(code, question, value)
    return cleaned


def _clean_value(code, question, value):
    datatype = question.datatype
    field = f"answers.{code}"
    if datatype == "number":
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = math.nan
        # NaN and infinity are no answer, and jsonb cannot store them.
        if not math.isfinite(number):
            raise Refused(field, _("ожидается число"))
        return number
    if question.is_list:
        keys = {choice.key for choice in question.values}
        values = value if isinstance(value, list) else [value]
        values = [str(v) for v in values]
        if datatype == "singlevaluelist" and len(values) != 1:
            raise Refused(field, _("выберите один вариант"))
        if not set(values) <= keys:
            raise Refused(field, _("нет такого варианта ответа"))
        return values if datatype == "multivaluelist" else values[0]
    text = storable_text(field, value)
    if len(text) > 1000:
        raise Refused(field, _("не длиннее 1000 символов"))
    return text
