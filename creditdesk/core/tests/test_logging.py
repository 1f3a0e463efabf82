"""No plaintext identifiers in log lines (PRIN-3, SEC-7)."""

import io
import logging

from creditdesk.core.logging import MaskingFilter, mask_identifiers


def test_identifiers_in_text_are_masked():
    text = (
        "GET /api/v1/customers?id_number=11010519491231002X&mobile=13812345678 "
        'credit_code="91350100M000100Y43" account 6222020200112233445 phone +8613987654321'
    )
    masked = mask_identifiers(text)
    for plain in ("11010519491231002X", "13812345678", "91350100M000100Y43", "6222020200112233445", "13987654321"):
        assert plain not in masked
    assert "110105********002X" in masked
    assert "138****5678" in masked
    assert "91350100********43" in masked
    assert "****3445" in masked


def test_ordinary_numbers_are_left_alone():
    text = "loan 100000.00 over 36 months, request 2027-03-15, id 12345"
    assert mask_identifiers(text) == text


def test_the_filter_rewrites_records_from_their_arguments():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(MaskingFilter())
    logger = logging.getLogger("creditdesk.test.masking")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        logger.info("looked up %s", "11010519491231002X")
    finally:
        logger.removeHandler(handler)
    assert "11010519491231002X" not in stream.getvalue()
    assert "110105********002X" in stream.getvalue()


def test_the_console_handler_masks(settings):
    assert "mask_identifiers" in settings.LOGGING["handlers"]["console"]["filters"]
