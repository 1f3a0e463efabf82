"""Domain errors carry a machine code, a message, per-field messages and an HTTP status."""

from creditdesk.core.errors import Conflict, DomainError, InvalidTransition, NotFound, ValidationFailed


def test_a_validation_error_names_its_field():
    err = ValidationFailed.on("term_months", "Term must be 1 to 360 months.")
    assert err.status == 422
    assert err.as_body() == {
        "code": "validation_error",
        "message": "Term must be 1 to 360 months.",
        "fields": {"term_months": ["Term must be 1 to 360 months."]},
    }


def test_each_kind_has_its_status():
    assert [cls("x").status for cls in (DomainError, NotFound, Conflict, InvalidTransition)] == [400, 404, 409, 409]
    assert Conflict("dup", code="duplicate_customer").code == "duplicate_customer"


def test_single_messages_are_wrapped_in_lists():
    assert DomainError("x", fields={"a": "one"}).fields == {"a": ["one"]}
