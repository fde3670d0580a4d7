"""Notification texts for email, in Indonesian and English, from ``kind`` and ``params``.

The web app writes its own texts from the same two fields (``i18n/*.json``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gaung.notifications.models import NotificationKind

LANGUAGES = ("id", "en")

# kind -> language -> (subject, body); {name} is filled from params (missing ones stay blank).
TEXTS: dict[NotificationKind, dict[str, tuple[str, str]]] = {
    NotificationKind.review_requested: {
        "id": ("Menunggu tinjauan: {title}", "Unggahan “{title}” menunggu tinjauan Anda."),
        "en": ("Review requested: {title}", "The post “{title}” is waiting for your review."),
    },
    NotificationKind.approved: {
        "id": ("Disetujui: {title}", "Unggahan “{title}” telah disetujui."),
        "en": ("Approved: {title}", "Your post “{title}” has been approved."),
    },
    NotificationKind.rejected: {
        "id": ("Dikembalikan: {title}", "Unggahan “{title}” dikembalikan: {comment}"),
        "en": ("Sent back: {title}", "Your post “{title}” was sent back: {comment}"),
    },
    NotificationKind.published: {
        "id": ("Terbit: {title}", "Unggahan “{title}” telah terbit. {url}"),
        "en": ("Published: {title}", "The post “{title}” has been published. {url}"),
    },
    NotificationKind.failed: {
        "id": ("Gagal terbit: {title}", "Unggahan “{title}” gagal terbit: {reason}"),
        "en": ("Failed: {title}", "The post “{title}” could not be published: {reason}"),
    },
    NotificationKind.unconfirmed: {
        "id": (
            "Belum pasti: {title}",
            "Belum dapat dipastikan apakah “{title}” telah terbit. Mohon periksa.",
        ),
        "en": (
            "Unconfirmed: {title}",
            "It is not certain whether “{title}” was published. Please check.",
        ),
    },
    NotificationKind.account_needs_reauth: {
        "id": (
            "Akun perlu dihubungkan ulang: {handle}",
            "Akun {handle} perlu dihubungkan ulang. {reason}",
        ),
        "en": (
            "Account needs reconnecting: {handle}",
            "The account {handle} needs to be reconnected. {reason}",
        ),
    },
    NotificationKind.x_spend_near_cap: {
        "id": ("Biaya X mendekati batas", "Perkiraan biaya X bulan ini mendekati batas unit."),
        "en": ("X spending near its cap", "This month's estimated X spending is near the cap."),
    },
    NotificationKind.account_dormant: {
        "id": (
            "Akun tidak aktif: {handle}",
            "Akun {handle} belum mengunggah konten atau belum memperbarui metrik dalam "
            "beberapa waktu. Mohon periksa.",
        ),
        "en": (
            "Dormant account: {handle}",
            "The account {handle} has not posted or reported metrics for a while. Please check.",
        ),
    },
    NotificationKind.submission_published: {
        "id": (
            "Kiriman terbit: {title}",
            "Kegiatan “{title}” yang Anda kirim telah terbit. {links}",
        ),
        "en": ("Submission published: {title}", "Your activity “{title}” was published. {links}"),
    },
    NotificationKind.submission_declined: {
        "id": ("Kiriman ditolak: {title}", "Kegiatan “{title}” yang Anda kirim ditolak: {reason}"),
        "en": ("Submission declined: {title}", "Your activity “{title}” was declined: {reason}"),
    },
    NotificationKind.webhook_paused: {
        "id": ("Webhook dijeda: {url}", "Pengiriman ke {url} gagal berhari-hari dan dijeda."),
        "en": ("Webhook paused: {url}", "Deliveries to {url} failed for days; it was paused."),
    },
    NotificationKind.inbox_assigned: {
        "id": ("Pertanyaan untuk Anda", "Pertanyaan baru di kotak masuk menunggu jawaban Anda."),
        "en": ("A question for you", "A new inbox question is waiting for your answer."),
    },
    NotificationKind.inbox_overdue: {
        "id": ("Pertanyaan terlambat dijawab", "Sebuah pertanyaan melewati batas waktu jawab."),
        "en": ("Question overdue", "A question has passed its response-time target."),
    },
    NotificationKind.inbox_answer_review: {
        "id": ("Jawaban menunggu persetujuan", "Jawaban untuk sebuah pertanyaan menunggu Anda."),
        "en": ("Answer awaiting approval", "An answer to a question is waiting for your approval."),
    },
}


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


@dataclass(frozen=True)
class Message:
    subject: str
    body: str


def render(
    kind: NotificationKind, params: Mapping[str, Any], locale: str, link: str | None
) -> Message:
    language = locale if locale in LANGUAGES else "id"
    subject, body = TEXTS[kind][language]
    values = _Blank({k: str(v) for k, v in params.items()})
    text = body.format_map(values).strip()
    if link:
        text += "\n\n" + link
    return Message(subject=subject.format_map(values).strip(), body=text + "\n")
