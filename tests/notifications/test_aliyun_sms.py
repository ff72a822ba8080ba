"""Alibaba Cloud SMS signing against the provider documentation's worked example (AccessKey
``testId``/``testSecret``, SendSms on 2017-07-12T02:42:19Z: Signature ``zJDF+Lrzhj/ThnlvIToysFRq6t4=``)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qsl

from chempark.notifications.aliyun_sms import percent_encode, send_sms_query, signature

EXAMPLE = {
    "AccessKeyId": "testId",
    "Action": "SendSms",
    "Format": "XML",
    "OutId": "123",
    "PhoneNumbers": "15300000001",
    "RegionId": "cn-hangzhou",
    "SignName": "阿里云短信测试专用",
    "SignatureMethod": "HMAC-SHA1",
    "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
    "SignatureVersion": "1.0",
    "TemplateCode": "SMS_71390007",
    "TemplateParam": '{"customer":"test"}',
    "Timestamp": "2017-07-12T02:42:19Z",
    "Version": "2017-05-25",
}


def test_the_documented_example_signs_to_the_documented_signature() -> None:
    assert signature(EXAMPLE, "testSecret") == "zJDF+Lrzhj/ThnlvIToysFRq6t4="


def test_percent_encoding_is_rfc_3986() -> None:
    assert percent_encode("a b*~/+") == "a%20b%2A~%2F%2B"


def test_a_request_carries_its_own_valid_signature() -> None:
    query = send_sms_query(
        access_key_id="id",
        secret="s3cret",
        phone="13800000001",
        sign_name="园区应急",
        template_code="SMS_1",
        template_param={"msg": "报警"},
        now=dt.datetime(2027, 6, 3, 14, 30, tzinfo=dt.timezone(dt.timedelta(hours=8))),
        nonce="n-1",
    )
    params = dict(parse_qsl(query, keep_blank_values=True))
    sent = params.pop("Signature")
    assert params["Timestamp"] == "2027-06-03T06:30:00Z" and params["TemplateParam"] == '{"msg":"报警"}'
    assert sent == signature(params, "s3cret")
    assert sent != signature(params, "other")
