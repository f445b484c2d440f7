"""A failed write's check constraint, said as full_clean() would have said it.

A save leaves the constraints the database enforces to the database (full_clean() would check
each with a query of its own first); when one fails, `violated_check` finds which of the model's
check constraints it was, so the person reads the same Vietnamese message.
"""

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import CheckConstraint, Model

#: How PostgreSQL and SQLite name the check constraint a row violates.
_NAMED = re.compile(r'check constraint "(\w+)"|CHECK constraint failed: (\w+)')


def violated_check(error: IntegrityError, model: type[Model]) -> ValidationError | None:
    """The model's check constraint that `error` reports, as a ValidationError with its message;
    None for any other failure (a unique constraint: a concurrent write, which callers say)."""
    found = _NAMED.search(str(error))
    if found is None:
        return None
    name = found.group(1) or found.group(2)
    for constraint in model._meta.constraints:
        if isinstance(constraint, CheckConstraint) and constraint.name == name:
            return ValidationError(
                constraint.get_violation_error_message(), code=constraint.violation_error_code
            )
    return None
