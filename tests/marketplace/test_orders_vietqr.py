"""The VietQR payload a banking app scans: field by field, and by its CRC, against NAPAS's published sample."""

import pytest

from marketplace.orders import vietqr

# NAPAS's sample VietQR string (Vietcombank, BIN 970436): transfer 100,000 ₫ to account
# 0011001800879 with the note "nhan tien"; its CRC is D1EF.
NAPAS_SAMPLE = (
    "00020101021238570010A00000072701270006970436011300110018008790208QRIBFTTA"
    "530370454061000005802VN62130809nhan tien6304D1EF"
)


def test_crc16_ccitt_false_check_value():
    assert vietqr.crc16("123456789") == "29B1"


def test_the_published_sample_is_rebuilt_exactly():
    assert vietqr.payload("970436", "0011001800879", 100_000, "nhan tien") == NAPAS_SAMPLE
    assert vietqr.crc16(NAPAS_SAMPLE[:-4]) == NAPAS_SAMPLE[-4:] == "D1EF"


def test_an_orders_payload_field_by_field():
    text = vietqr.payload("970436", "0011001234567", 275_000, "SMP2026000042")
    fields = vietqr.parse(text)
    assert list(fields) == ["00", "01", "38", "53", "54", "58", "62", "63"]
    assert fields["00"] == "01"  # payload format indicator
    assert fields["01"] == "12"  # dynamic: carries an amount
    merchant = vietqr.parse(fields["38"])
    assert merchant == {"00": "A000000727", "01": merchant["01"], "02": "QRIBFTTA"}
    assert vietqr.parse(merchant["01"]) == {"00": "970436", "01": "0011001234567"}
    assert fields["53"] == "704" and fields["54"] == "275000" and fields["58"] == "VN"
    assert vietqr.parse(fields["62"]) == {"08": "SMP2026000042"}
    assert fields["63"] == vietqr.crc16(text[:-4]) and text[-8:-4] == "6304"


def test_without_an_amount_the_code_is_static_and_the_note_is_cleaned():
    fields = vietqr.parse(vietqr.payload("970436", "0011001234567", None, "Đơn-hàng #1"))
    assert fields["01"] == "11" and "54" not in fields
    assert vietqr.parse(fields["62"]) == {"08": "Don hang 1"}


def test_a_field_over_99_characters_is_refused():
    with pytest.raises(ValueError):
        vietqr.field("38", "x" * 100)


def test_the_code_is_inline_svg_with_no_script():
    markup = vietqr.svg(NAPAS_SAMPLE)
    assert markup.startswith("<svg") and "<path" in markup and "script" not in markup and "<?xml" not in markup
