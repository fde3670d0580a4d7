"""The simulated network behind sandbox accounts: pure functions of (seed, account or post, time).

Nothing is stored for the audience: followers, post figures and comments are recomputed from a
seed each time, so the same seed always shows the same demo and nothing grows without bound in
the database. Randomness comes from hashing the inputs (not from ``random``), which keeps every
figure stable across processes and Python versions.

Shapes chosen to look plausible on a government unit's account:
- followers grow by a few to a few dozen a day, more on weekdays and in Jakarta's daytime, never
  down (a demo that loses followers on reload looks broken);
- a post's figures rise quickly after publishing and level off within about two days;
- comments arrive over the first day or so, in Indonesian, many of them questions.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

# Every account's history starts here; before it the figures are the starting ones.
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
# Jakarta (UTC+7): the audience's day and week, for the daily and weekly rhythm.
AUDIENCE_OFFSET = timedelta(hours=7)
# A cap on the days summed, so a clock far in the future costs a bounded loop.
MAX_DAYS = 3660
MAX_DAILY_GAIN = 60
# A post's figures reach ~63% of their final values after this many hours.
SETTLE_HOURS = 10.0
# Comments arrive within this long after a post is published.
COMMENT_WINDOW = timedelta(hours=36)
MAX_COMMENTS_PER_POST = 6


def unit_value(seed: int, *parts: object) -> float:
    """A number in [0, 1) fixed by the seed and the parts."""
    key = "\x1f".join([str(seed), *map(str, parts)]).encode()
    digest = hashlib.blake2b(key, digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def _pick(seed: int, options: tuple[str, ...], *parts: object) -> str:
    return options[int(unit_value(seed, *parts) * len(options))]


# --- followers ---------------------------------------------------------------------------------


def _starting_followers(seed: int, account: str) -> int:
    return 1200 + int(unit_value(seed, account, "start") * 8800)


def _daily_gain(seed: int, account: str, day: int) -> int:
    """Followers gained on one audience day: weekday-heavy, noisy, at most ``MAX_DAILY_GAIN``."""
    weekday = (EPOCH + timedelta(days=day)).weekday()
    rhythm = 0.55 if weekday >= 5 else 1.0
    base = 8 + unit_value(seed, account, "rate") * 22
    noise = 0.4 + 1.2 * unit_value(seed, account, "day", day)
    # An occasional good day (a post shared widely) without breaking the cap.
    burst = 1.6 if unit_value(seed, account, "burst", day) > 0.93 else 1.0
    return min(MAX_DAILY_GAIN, round(base * rhythm * noise * burst))


def _share_of_day(hour: float) -> float:
    """How much of a day's gain has arrived by ``hour`` (audience time): mostly in daytime."""
    # A smooth S-curve centred on 13:00, a little gain through the night.
    return 0.1 * hour / 24 + 0.9 / (1 + math.exp(-(hour - 13) / 2.5))


def followers(seed: int, account: str, at: datetime) -> int:
    local = at + AUDIENCE_OFFSET - EPOCH
    days = min(local.days, MAX_DAYS)
    start = _starting_followers(seed, account)
    if local < timedelta(0):
        return start
    total = start + sum(_daily_gain(seed, account, day) for day in range(days))
    if days < MAX_DAYS:
        hour = (local - timedelta(days=days)).total_seconds() / 3600
        fraction = (_share_of_day(hour) - _share_of_day(0)) / (_share_of_day(24) - _share_of_day(0))
        total += math.floor(_daily_gain(seed, account, days) * fraction)
    return total


def following(seed: int, account: str, at: datetime) -> int:
    """A government account follows few others and rarely adds one (about one a month)."""
    weeks = max(0, min((at - EPOCH).days // 7, MAX_DAYS // 7))
    start = 40 + int(unit_value(seed, account, "following") * 160)
    return start + sum(1 for week in range(weeks) if unit_value(seed, account, "fw", week) < 0.25)


def earlier_posts(seed: int, account: str) -> int:
    """Posts the account had before it joined the sandbox (its post count starts here)."""
    return 150 + int(unit_value(seed, account, "posts") * 1350)


# --- a post's figures --------------------------------------------------------------------------


@dataclass(frozen=True)
class PostFigures:
    impressions: int
    reach: int
    likes: int
    replies: int
    shares: int
    clicks: int


def _settled(published_at: datetime, at: datetime) -> float:
    hours = max(0.0, (at - published_at).total_seconds() / 3600)
    return 1 - math.exp(-hours / SETTLE_HOURS)


def post_figures(
    seed: int, post: str, published_at: datetime, at: datetime, audience: int
) -> PostFigures:
    """A post's figures at ``at``: each a fixed final value times the same rising curve, so every
    figure only grows and all level off together."""
    settled = _settled(published_at, at)
    reach_share = 0.08 + 0.5 * unit_value(seed, post, "reach")
    final_reach = audience * reach_share
    final_impressions = final_reach * (1.2 + 0.8 * unit_value(seed, post, "views"))

    def grown(final: float) -> int:
        return math.floor(final * settled)

    return PostFigures(
        impressions=grown(final_impressions),
        reach=grown(final_reach),
        likes=grown(final_reach * (0.01 + 0.05 * unit_value(seed, post, "likes"))),
        replies=len(comments(seed, post, published_at, at)),
        shares=grown(final_reach * 0.01 * unit_value(seed, post, "shares")),
        clicks=grown(final_reach * 0.03 * unit_value(seed, post, "clicks")),
    )


# --- comments ----------------------------------------------------------------------------------

AUTHORS: tuple[tuple[str, str], ...] = (
    ("dewi.lestari", "Dewi Lestari"),
    ("budi_santoso88", "Budi Santoso"),
    ("rahmat.hidayat", "Rahmat Hidayat"),
    ("sitinurhaliza_", "Siti Nurhaliza"),
    ("agus.pratama", "Agus Pratama"),
    ("putri.ayu21", "Putri Ayu"),
    ("yogi_saputra", "Yogi Saputra"),
    ("nurul.fadilah", "Nurul Fadilah"),
    ("andi.wijaya", "Andi Wijaya"),
    ("mega.kartika", "Mega Kartika"),
    ("fajar_nugroho", "Fajar Nugroho"),
    ("rina.marlina", "Rina Marlina"),
    ("hendra.gunawan", "Hendra Gunawan"),
    ("wulan_sari", "Wulan Sari"),
    ("taufik.rahman", "Taufik Rahman"),
    ("lina.kusuma", "Lina Kusuma"),
)

# What a technology agency's followers ask and say, with the informal spelling they use.
QUESTIONS: tuple[str, ...] = (
    "Min, formasi CPNS tahun ini ada utk lulusan S1 teknik sipil gak?",
    "Kak, pendaftaran PPPK dibuka kapan ya? Syaratnya apa aja?",
    "Gmn caranya daftar magang di sini min? Buat mahasiswa tingkat akhir bs gak?",
    "Min, lowongan yg kemarin itu udah ditutup ya?",
    "Min prakiraan cuaca buat minggu depan di Jawa Tengah gmn? Mau panen nih",
    "Musim hujan tahun ini maju gak sih min? Petani di sini pada bingung",
    "Kak, data curah hujan harian bs diakses di mana ya?",
    "Debit sungai di hulu lagi naik gak min? Warga bantaran khawatir",
    "Min, sumur warga di desa kami pada kering, ada program air bersih gak?",
    "Teknologi modifikasi cuaca itu bs dipake buat ngisi waduk jg gak min?",
    "Kalau mau tau daerah rawan longsor di kabupaten kami, liat peta yg mana ya min?",
    "Min, sistem peringatan dini banjirnya udah dipasang di sungai kami belum?",
    "Gmn cara baca peta rawan bencana yg di website? Agak bingung",
    "Kak, data spasial tutupan lahan bs diunduh gratis gak? Buat skripsi",
    "Min peta batas desa yg terbaru ada gak? Yg lama udah beda",
    "Format datanya apa min? Shapefile atau GeoJSON?",
    "Program pengembangan wilayah ini masuk ke kabupaten kami gak min?",
    "Kapan ada sosialisasi di daerah Sulawesi min? Kami tertarik bgt",
    "Min, layanan konsultasi teknologinya bs dipake pemda gak? Gmn prosedurnya?",
    "Kak, surat permohonan datanya dikirim ke mana ya? Udah 2 minggu blm ada balasan",
    "Layanan pengaduannya di nomor berapa ya min?",
    "Min ini hasil kajiannya bs dibaca publik gak? Linknya mana?",
)

REMARKS: tuple[str, ...] = (
    "Mantap, semoga bermanfaat buat masyarakat 👍",
    "Keren programnya, lanjutkan!",
    "Terima kasih infonya min 🙏",
    "Sangat membantu, apalagi buat daerah rawan banjir kayak tempat kami",
    "Semoga makin banyak inovasi kayak gini",
    "Bangga sama peneliti Indonesia 🇮🇩",
    "Izin share ya min",
    "Infonya jelas bgt, makasih",
)


@dataclass(frozen=True)
class SimulatedComment:
    external_id: str
    post_external_id: str
    author_id: str
    author_handle: str
    author_name: str
    text: str
    sent_at: datetime
    is_question: bool


COMMENT_MARK = "_c"
# Ids of practice questions posed to a sandbox account from Gaung (inbox training).
PRACTICE_MARK = "latihan-"


def comment_id(post: str, index: int) -> str:
    return f"{post}{COMMENT_MARK}{index}"


def parse_comment_id(external_id: str) -> tuple[str, int] | None:
    """The post and index a simulated comment id names, or ``None`` when it names none."""
    post, mark, index = external_id.rpartition(COMMENT_MARK)
    if not mark or not post or not index.isdigit():
        return None
    return post, int(index)


def comment_count(seed: int, post: str) -> int:
    return int(unit_value(seed, post, "comments") * (MAX_COMMENTS_PER_POST + 1))


def comment(seed: int, post: str, published_at: datetime, index: int) -> SimulatedComment:
    # Arrival times cluster early (the square of a uniform value) inside the window.
    delay = COMMENT_WINDOW * (unit_value(seed, post, "at", index) ** 2)
    is_question = unit_value(seed, post, "question", index) < 0.6
    text = _pick(seed, QUESTIONS if is_question else REMARKS, post, "text", index)
    handle, name = AUTHORS[int(unit_value(seed, post, "author", index) * len(AUTHORS))]
    return SimulatedComment(
        external_id=comment_id(post, index),
        post_external_id=post,
        author_id=f"sandbox-user-{handle}",
        author_handle=handle,
        author_name=name,
        text=text,
        sent_at=published_at + timedelta(seconds=30) + delay,
        is_question=is_question,
    )


def comments(
    seed: int, post: str, published_at: datetime, until: datetime
) -> list[SimulatedComment]:
    """The comments a post has received by ``until``, oldest first."""
    every = (comment(seed, post, published_at, i) for i in range(comment_count(seed, post)))
    return sorted((c for c in every if c.sent_at <= until), key=lambda c: c.sent_at)
