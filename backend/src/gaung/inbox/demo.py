"""The demo unit's inbox: PTPSW's topics (from the data file), an expert for each, and a few
saved answers to the questions that keep coming back."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from gaung.inbox.models import InboxExpert, SavedAnswer
from gaung.inbox.service import seed_topics
from gaung.users.models import Membership, Role
from gaung.users.service import create_user, get_by_email

# topic key -> (email, name) of the demo colleague who answers it
EXPERTS: dict[str, tuple[str, str]] = {
    "karier": ("kepegawaian@ptpsw.example.go.id", "Sri Wahyuni (Kepegawaian)"),
    "cuaca": ("iklim@ptpsw.example.go.id", "Dr. Budi Santoso (Iklim)"),
    "air": ("air@ptpsw.example.go.id", "Dr. Rina Hidayati (Sumber Daya Air)"),
    "bencana": ("bencana@ptpsw.example.go.id", "Ir. Bambang Setiawan (Mitigasi Bencana)"),
    "spasial": ("spasial@ptpsw.example.go.id", "Dewi Lestari, M.Sc. (Data Spasial)"),
    "wilayah": ("wilayah@ptpsw.example.go.id", "Agus Prasetyo (Pengembangan Wilayah)"),
    "layanan": ("layanan@ptpsw.example.go.id", "Nur Aini (Layanan Publik)"),
}

SAVED: list[tuple[str | None, str, str]] = [
    (
        "karier",
        "Formasi CPNS dan PPPK",
        "Terima kasih atas pertanyaannya. Formasi CPNS dan PPPK diumumkan resmi melalui "
        "sscasn.bkn.go.id dan kanal resmi kami. Mohon waspada terhadap penipuan yang meminta "
        "biaya: seluruh proses seleksi tidak dipungut biaya.",
    ),
    (
        "karier",
        "Program magang",
        "Program magang dibuka untuk mahasiswa tingkat akhir. Silakan kirim surat pengantar "
        "kampus, CV dan bidang minat ke alamat email layanan kami.",
    ),
    (
        "layanan",
        "Permohonan informasi publik",
        "Permohonan informasi publik dapat diajukan ke PPID kami secara daring atau langsung. "
        "Sesuai UU 14/2008, permohonan dijawab paling lambat 10 hari kerja.",
    ),
    (
        None,
        "Terima kasih",
        "Terima kasih atas perhatiannya. Pertanyaan Anda sedang kami teruskan ke tim terkait.",
    ),
]


async def seed_inbox(session: AsyncSession, unit_id: int, password: str) -> None:
    topics = {t.key: t for t in await seed_topics(session, unit_id)}
    if not topics:
        return
    for key, (email, name) in EXPERTS.items():
        user = await get_by_email(session, email) or await create_user(
            session, email=email, name=name, password=password
        )
        await session.flush()
        session.add(Membership(user_id=user.id, unit_id=unit_id, role=Role.expert))
        session.add(InboxExpert(topic_id=topics[key].id, user_id=user.id, unit_id=unit_id))
    session.add_all(
        SavedAnswer(
            unit_id=unit_id, topic_id=topics[key].id if key else None, title=title, text=text
        )
        for key, title, text in SAVED
    )
    await session.flush()
