"""Alibaba Cloud SMS (短信服务, API version 2017-05-25, action SendSms) request signing, pure.

The RPC signature, version 1.0, from the provider's published documentation: sort every parameter
but ``Signature`` by name; percent-encode names and values (RFC 3986: unreserved characters stay,
space is ``%20``, ``~`` stays); join them as ``k=v&…``; the string to sign is
``GET&%2F&`` + the percent-encoded query; the signature is Base64(HMAC-SHA1(secret + "&", that)).
``tests/notifications`` checks it against the documentation's worked example.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import uuid
from collections.abc import Mapping
from urllib.parse import quote

API_VERSION = "2017-05-25"


def percent_encode(text: str) -> str:
    return quote(text, safe="~")


def canonical_query(params: Mapping[str, str]) -> str:
    return "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items()))


def signature(params: Mapping[str, str], secret: str, method: str = "GET") -> str:
    to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonical_query(params))}"
    digest = hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def send_sms_query(
    *,
    access_key_id: str,
    secret: str,
    phone: str,
    sign_name: str,
    template_code: str,
    template_param: Mapping[str, str],
    now: dt.datetime,
    nonce: str | None = None,
) -> str:
    """The signed query string of one SendSms request (GET)."""
    params = {
        "AccessKeyId": access_key_id,
        "Action": "SendSms",
        "Format": "JSON",
        "PhoneNumbers": phone,
        "RegionId": "cn-hangzhou",
        "SignName": sign_name,
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": nonce or str(uuid.uuid4()),
        "SignatureVersion": "1.0",
        "TemplateCode": template_code,
        "TemplateParam": json.dumps(dict(template_param), ensure_ascii=False, separators=(",", ":")),
        "Timestamp": now.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "Version": API_VERSION,
    }
    return f"Signature={percent_encode(signature(params, secret))}&{canonical_query(params)}"
