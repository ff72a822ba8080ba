"""The ways out: e-mail over SMTP (``CHEMPARK_SMTP_URL``), Alibaba Cloud SMS over its signed HTTP
API, and WeCom/DingTalk group-robot webhooks. Each sender raises ``ChannelError`` with the reason
(refused, timed out, the gateway's own error code), which the delivery log shows."""

from __future__ import annotations

import json
import smtplib
import urllib.error
import urllib.request
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from django.utils import timezone

from chempark.config import current
from chempark.notifications import aliyun_sms

TIMEOUT_S = 10.0


class ChannelError(Exception):
    """A message could not be handed over; the text says why."""


class ChannelNotConfigured(ChannelError):
    """The channel has no server or gateway in the settings: retrying cannot help until the
    settings change and the notifier restarts."""


def send_email(address: str, subject: str, body: str) -> None:
    url = urlsplit(current().smtp_url)
    if url.scheme not in ("smtp", "smtps") or not url.hostname:
        raise ChannelNotConfigured("未配置邮件服务器（CHEMPARK_SMTP_URL）")
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = current().mail_from, address, subject
    message.set_content(body)
    secure = url.scheme == "smtps"
    port = url.port or (465 if secure else 587)
    try:
        client_class = smtplib.SMTP_SSL if secure else smtplib.SMTP
        with client_class(url.hostname, port, timeout=TIMEOUT_S) as client:
            if not secure and client.has_extn("starttls"):
                client.starttls()
            if url.username:
                client.login(unquote(url.username), unquote(url.password or ""))
            client.send_message(message)
    except (smtplib.SMTPException, OSError) as exc:
        raise ChannelError(f"邮件服务器拒绝或不可达：{exc}") from exc


def _http(request: urllib.request.Request) -> dict[str, object]:
    if urlsplit(request.full_url).scheme not in ("http", "https"):
        raise ChannelError("地址须以 http:// 或 https:// 开头")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:  # noqa: S310 - scheme checked above
            payload = response.read(64 * 1024)
    except urllib.error.HTTPError as exc:
        raise ChannelError(f"HTTP {exc.code}") from exc
    except (TimeoutError, urllib.error.URLError, OSError) as exc:
        raise ChannelError(f"无法连接：{exc}") from exc
    try:
        answer = json.loads(payload or b"{}")
    except ValueError as exc:
        raise ChannelError("应答不是 JSON") from exc
    return answer if isinstance(answer, dict) else {}


def send_sms(phone: str, text: str) -> None:
    settings = current()
    if not settings.sms_url or not settings.sms_access_key_id:
        raise ChannelNotConfigured("未配置短信网关（CHEMPARK_SMS_URL）")
    query = aliyun_sms.send_sms_query(
        access_key_id=settings.sms_access_key_id,
        secret=settings.sms_access_key_secret,
        phone=phone,
        sign_name=settings.sms_sign_name,
        template_code=settings.sms_template_code,
        template_param={"msg": text[:200]},
        now=timezone.now(),
    )
    separator = "&" if "?" in settings.sms_url else "?"
    request = urllib.request.Request(f"{settings.sms_url}{separator}{query}", method="GET")  # noqa: S310 - see _http
    answer = _http(request)
    if answer.get("Code") != "OK":
        raise ChannelError(f"短信网关拒绝：{answer.get('Code')} {answer.get('Message', '')}".strip())


def send_webhook(url: str, text: str) -> None:
    """WeCom and DingTalk group robots take the same text message body."""
    body = json.dumps({"msgtype": "text", "text": {"content": text}}, ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json"}
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)  # noqa: S310 - see _http
    answer = _http(request)
    if answer.get("errcode", 0) != 0:
        raise ChannelError(f"群机器人拒绝：{answer.get('errcode')} {answer.get('errmsg', '')}".strip())
