"""VietQR: the EMVCo merchant-presented QR payload of NAPAS that Vietnamese banking apps scan.

Each field is ID (2 digits), length (2 digits), value. The account sits in the NAPAS
consumer-account template (ID 38: GUID A000000727, then the bank's BIN and the account,
then the service "transfer to account"); the checksum is CRC-16/CCITT-FALSE (binascii.crc_hqx
from 0xFFFF) over the whole payload including the "6304" that introduces it.
"""

import binascii
import io
import re

import qrcode
import qrcode.image.svg
from anyascii import anyascii

NAPAS_GUID = "A000000727"
TRANSFER_TO_ACCOUNT = "QRIBFTTA"
CURRENCY_VND = "704"


def field(tag, value):
    value = str(value)
    if len(value) > 99:
        raise ValueError(f"VietQR field {tag} is longer than 99 characters")
    return f"{tag}{len(value):02d}{value}"


def crc16(data):
    """CRC-16/CCITT-FALSE as four upper-case hex digits ("123456789" → 29B1)."""
    return f"{binascii.crc_hqx(data.encode('utf-8'), 0xFFFF):04X}"


def transfer_note(text):
    # Banking apps accept ASCII letters, digits and spaces in the transfer note, at most 25 characters.
    plain = re.sub(r"[^0-9A-Za-z ]+", " ", anyascii(text))
    return " ".join(plain.split())[:25]


def payload(bin_code, account, amount_vnd=None, note=""):
    """The string a banking app reads: with an amount, the point of initiation is dynamic (12)."""
    beneficiary = field("00", bin_code) + field("01", account)
    merchant = field("00", NAPAS_GUID) + field("01", beneficiary) + field("02", TRANSFER_TO_ACCOUNT)
    parts = [
        field("00", "01"),
        field("01", "12" if amount_vnd else "11"),
        field("38", merchant),
        field("53", CURRENCY_VND),
    ]
    if amount_vnd:
        parts.append(field("54", int(amount_vnd)))
    parts.append(field("58", "VN"))
    note = transfer_note(note)
    if note:
        parts.append(field("62", field("08", note)))
    body = "".join(parts) + "6304"
    return body + crc16(body)


def parse(text):
    """{tag: value} of one level of the payload (nested templates are parsed again by the caller)."""
    fields, i = {}, 0
    while i < len(text):
        tag, length = text[i : i + 2], int(text[i + 2 : i + 4])
        fields[tag] = text[i + 4 : i + 4 + length]
        i += 4 + length
    return fields


def svg(data):
    """The QR code as inline SVG markup: no image file, no script, nothing for the CSP to allow."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=4)
    buffer = io.BytesIO()
    image.save(buffer)
    markup = buffer.getvalue().decode("utf-8")
    return markup[markup.index("<svg") :]  # drop the XML declaration, which HTML does not want


def for_order(order, order_settings):
    return payload(order_settings.bank_bin, order_settings.account_number, order.total_vnd, order.transfer_reference)
