"""Demo data for the embedded mode: the PTPSW unit, two users, three sandbox accounts and about
twenty Indonesian posts over the current month. Created once; running it again changes nothing."""

from __future__ import annotations

import asyncio
import hashlib
import io
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, time
from typing import TypeVar
from zoneinfo import ZoneInfo

from PIL import Image, ImageDraw, ImageFont
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gaung.accounts.models import Platform, PlatformAccount
from gaung.calendar.models import PostTemplate, TemplateKind
from gaung.config import Settings
from gaung.db import database, session_scope
from gaung.kit.time import utcnow
from gaung.media.models import MediaAsset, MediaKind
from gaung.posts.models import Post, PostVariant, VariantMedia
from gaung.units.models import Unit
from gaung.users.models import Membership, Role
from gaung.users.service import create_user, get_by_email

T = TypeVar("T")

UNIT_SLUG = "ptpsw"
UNIT_NAME = "PTPSW — Pusat Teknologi Pengembangan Sumber Daya Wilayah"
EDITOR_EMAIL = "editor@ptpsw.example.go.id"

TECH = "Informasi Teknologi"
NEWS = "Berita Kegiatan"
EVENT = "Acara"
SERVICE = "Layanan Publik"


@dataclass(frozen=True)
class DemoPost:
    day: int
    hour: int
    category: str
    title: str
    short: str  # for X (≤ 280 weighted characters)
    long: str  # for Facebook and, with hashtags, Instagram
    tags: str
    colour: str


POSTS = [
    DemoPost(
        1,
        9,
        TECH,
        "Citra satelit untuk peta lahan sawah",
        "Bagaimana kami memetakan sawah dari citra satelit? Setiap 16 hari, data Landsat "
        "diolah menjadi peta luas tanam untuk perencanaan pangan daerah. 🌾🛰️",
        "Peta lahan sawah kini bisa diperbarui setiap 16 hari. Tim PTPSW mengolah citra "
        "satelit Landsat menjadi peta luas tanam yang dipakai pemerintah daerah untuk "
        "merencanakan pupuk, air irigasi, dan cadangan pangan.",
        "#PenginderaanJauh #KetahananPangan #BPPT",
        "#2f7d4f",
    ),
    DemoPost(
        2,
        13,
        NEWS,
        "Kunjungan Bappeda Kabupaten Bogor",
        "Hari ini kami menerima tim Bappeda Kab. Bogor untuk diskusi pemanfaatan data "
        "spasial dalam RPJMD. Terima kasih atas kunjungannya!",
        "PTPSW menerima kunjungan tim Bappeda Kabupaten Bogor. Diskusi berfokus pada "
        "pemanfaatan data spasial dan neraca sumber daya wilayah untuk penyusunan RPJMD. "
        "Kolaborasi seperti ini membuat perencanaan berbasis data, bukan perkiraan.",
        "#DataSpasial #PerencanaanWilayah #BPPT",
        "#1f5f8b",
    ),
    DemoPost(
        3,
        19,
        SERVICE,
        "Cara meminta data neraca air",
        "Pemda butuh data neraca air wilayah? Ajukan permintaan lewat layanan data PTPSW, "
        "gratis untuk instansi pemerintah. Balasan dalam 5 hari kerja.",
        "Instansi pemerintah dapat meminta data neraca air wilayah melalui layanan data "
        "PTPSW tanpa biaya. Sertakan nama instansi, wilayah, dan keperluan data; tim kami "
        "membalas dalam 5 hari kerja.",
        "#LayananPublik #NeracaAir #BPPT",
        "#0e7490",
    ),
    DemoPost(
        5,
        9,
        TECH,
        "Peringatan dini banjir berbasis sensor",
        "Sensor tinggi muka air + model hidrologi = peringatan banjir 6 jam lebih awal. "
        "Begini cara kerjanya di DAS Citarum 👇",
        "Sistem peringatan dini banjir yang dikembangkan PTPSW menggabungkan sensor tinggi "
        "muka air dengan model hidrologi. Di DAS Citarum, warga mendapat peringatan hingga "
        "6 jam sebelum air sampai di permukiman.",
        "#MitigasiBencana #Banjir #Inovasi",
        "#7c3aed",
    ),
    DemoPost(
        6,
        16,
        EVENT,
        "Webinar SIG untuk desa",
        "Webinar gratis: Sistem Informasi Geografis untuk Perangkat Desa. Kamis pukul "
        "13.00 WIB via Zoom. Daftar di tautan bio. 📍",
        'Ikuti webinar gratis "SIG untuk Perangkat Desa" bersama peneliti PTPSW. Materi: '
        "membuat peta batas desa, mendata aset, dan membaca citra satelit sederhana. Kamis "
        "pukul 13.00 WIB melalui Zoom. Kuota 300 peserta.",
        "#Webinar #SIG #DesaDigital",
        "#b45309",
    ),
    DemoPost(
        8,
        12,
        TECH,
        "Mengenal lahan gambut",
        "Lahan gambut menyimpan karbon hingga 10 kali hutan mineral. Menjaga muka airnya "
        "tetap tinggi adalah kunci mencegah kebakaran. 🔥💧",
        "Tahukah Anda? Lahan gambut menyimpan karbon hingga 10 kali lebih banyak daripada "
        "hutan di tanah mineral. PTPSW memantau tinggi muka air gambut dengan sensor "
        "telemetri agar kebakaran dapat dicegah sebelum terjadi.",
        "#Gambut #Karhutla #Lingkungan",
        "#92400e",
    ),
    DemoPost(
        9,
        9,
        NEWS,
        "Penandatanganan kerja sama dengan Pemprov NTB",
        "PTPSW dan Pemprov NTB menandatangani kerja sama pemetaan potensi air tanah untuk "
        "daerah rawan kekeringan.",
        "Hari ini PTPSW dan Pemerintah Provinsi Nusa Tenggara Barat menandatangani kerja "
        "sama pemetaan potensi air tanah. Hasilnya akan membantu menentukan lokasi sumur "
        "bor di daerah rawan kekeringan.",
        "#KerjaSama #AirTanah #NTB",
        "#be123c",
    ),
    DemoPost(
        10,
        19,
        SERVICE,
        "Jam layanan konsultasi teknologi",
        "Konsultasi teknologi PTPSW buka Senin–Jumat 08.00–15.00 WIB. Datang langsung atau "
        "jadwalkan daring.",
        "Layanan konsultasi teknologi PTPSW buka setiap Senin–Jumat pukul 08.00–15.00 WIB. "
        "Anda dapat datang langsung ke Gedung Teknologi 3 Puspiptek atau menjadwalkan "
        "konsultasi daring.",
        "#LayananPublik #Konsultasi",
        "#0f766e",
    ),
    DemoPost(
        12,
        13,
        TECH,
        "Drone untuk inventarisasi hutan rakyat",
        "Dengan drone dan foto udara, inventarisasi hutan rakyat 100 ha selesai dalam 2 "
        "hari, bukan 2 minggu. 🚁🌳",
        "Inventarisasi hutan rakyat seluas 100 hektare biasanya butuh dua minggu kerja "
        "lapangan. Dengan drone dan pengolahan foto udara, tim PTPSW menyelesaikannya dalam "
        "dua hari, lengkap dengan perkiraan volume kayu.",
        "#Drone #Kehutanan #Inovasi",
        "#166534",
    ),
    DemoPost(
        13,
        16,
        EVENT,
        "Pameran inovasi di Puspiptek",
        "Sampai jumpa di Pameran Inovasi Puspiptek, 20–22 bulan ini! Kunjungi booth "
        "PTPSW di Hall B.",
        "PTPSW ikut Pameran Inovasi Puspiptek tanggal 20–22 bulan ini. Di booth Hall B, "
        "Anda bisa mencoba simulasi peringatan dini banjir dan melihat peta 3D wilayah "
        "hasil pemotretan drone.",
        "#Pameran #Inovasi #Puspiptek",
        "#c2410c",
    ),
    DemoPost(
        15,
        9,
        TECH,
        "Apa itu neraca sumber daya wilayah?",
        "Neraca sumber daya wilayah = catatan berapa air, lahan, dan hutan yang dimiliki "
        "daerah, dan berapa yang terpakai. Dasar perencanaan yang adil.",
        "Neraca sumber daya wilayah adalah catatan berapa banyak air, lahan, dan hutan yang "
        "dimiliki suatu daerah serta berapa yang sudah terpakai. Dengan neraca ini, "
        "pemerintah daerah bisa merencanakan pembangunan tanpa menghabiskan sumber dayanya.",
        "#SumberDaya #Perencanaan #BPPT",
        "#1d4ed8",
    ),
    DemoPost(
        16,
        12,
        NEWS,
        "Pelatihan pemetaan partisipatif di Lombok",
        "40 perangkat desa di Lombok Timur belajar memetakan wilayahnya sendiri dengan "
        "aplikasi ponsel. Hebat! 👏",
        "Selama tiga hari, 40 perangkat desa di Lombok Timur belajar pemetaan partisipatif "
        "bersama PTPSW. Kini mereka dapat memetakan batas dan aset desa sendiri hanya "
        "dengan aplikasi di ponsel.",
        "#PemetaanPartisipatif #Desa #Lombok",
        "#4d7c0f",
    ),
    DemoPost(
        17,
        19,
        SERVICE,
        "Unduh peta rawan longsor",
        "Peta rawan longsor 1:25.000 untuk Jawa Barat kini bisa diunduh gratis di portal "
        "data kami.",
        "Peta rawan longsor skala 1:25.000 untuk seluruh kabupaten di Jawa Barat kini "
        "tersedia di portal data PTPSW dan dapat diunduh gratis. Gunakan untuk perencanaan "
        "tata ruang dan kesiapsiagaan bencana.",
        "#Longsor #DataTerbuka #JawaBarat",
        "#7f1d1d",
    ),
    DemoPost(
        19,
        9,
        TECH,
        "Sensor kualitas air murah",
        "Sensor kualitas air buatan peneliti kami: harga 1/5 produk impor, kirim data "
        "tiap 10 menit lewat jaringan seluler.",
        "Peneliti PTPSW merancang sensor kualitas air dengan harga seperlima produk impor. "
        "Sensor mengukur pH, kekeruhan, dan oksigen terlarut, lalu mengirim data setiap 10 "
        "menit melalui jaringan seluler.",
        "#KualitasAir #Sensor #InovasiLokal",
        "#0369a1",
    ),
    DemoPost(
        20,
        13,
        EVENT,
        "Hari pertama pameran inovasi",
        "Hari pertama Pameran Inovasi Puspiptek ramai! Sudah mampir ke booth PTPSW di Hall B?",
        "Hari pertama Pameran Inovasi Puspiptek dikunjungi lebih dari 1.500 orang. Terima "
        "kasih sudah mampir ke booth PTPSW di Hall B. Pameran masih berlangsung sampai "
        "lusa.",
        "#Pameran #Inovasi #Puspiptek",
        "#9a3412",
    ),
    DemoPost(
        22,
        16,
        NEWS,
        "Serah terima data ke BPBD Garut",
        "Kami menyerahkan peta risiko banjir bandang kepada BPBD Kabupaten Garut untuk "
        "rencana kontinjensi.",
        "PTPSW menyerahkan peta risiko banjir bandang dan data curah hujan historis kepada "
        "BPBD Kabupaten Garut. Data ini akan dipakai untuk memperbarui rencana kontinjensi "
        "dan jalur evakuasi.",
        "#MitigasiBencana #Garut #BPBD",
        "#6d28d9",
    ),
    DemoPost(
        23,
        9,
        TECH,
        "Pertanian presisi untuk lahan kering",
        "Irigasi tetes + sensor kelembapan tanah menghemat air hingga 40% di lahan kering "
        "NTT. 🌽💧",
        "Uji coba pertanian presisi di lahan kering Nusa Tenggara Timur: irigasi tetes yang "
        "dikendalikan sensor kelembapan tanah menghemat air hingga 40% dan menaikkan hasil "
        "jagung 25%.",
        "#PertanianPresisi #LahanKering #NTT",
        "#a16207",
    ),
    DemoPost(
        24,
        19,
        SERVICE,
        "Tanya jawab: data untuk skripsi",
        "Mahasiswa boleh meminta data PTPSW untuk skripsi? Boleh! Sertakan surat dari "
        "kampus dan proposal singkat.",
        "Banyak mahasiswa bertanya apakah data PTPSW boleh dipakai untuk skripsi. Boleh. "
        "Ajukan permintaan dengan surat pengantar dari kampus dan proposal singkat; data "
        "dikirim setelah disetujui.",
        "#Mahasiswa #DataPenelitian #LayananPublik",
        "#115e59",
    ),
    DemoPost(
        26,
        12,
        TECH,
        "Model iklim untuk musim tanam",
        "Kapan musim tanam dimulai? Model iklim kami memperkirakan awal musim hujan per "
        "kecamatan, 3 bulan sebelumnya.",
        "Model iklim PTPSW memperkirakan awal musim hujan untuk setiap kecamatan tiga "
        "bulan sebelumnya. Petani dan dinas pertanian dapat menyesuaikan jadwal tanam agar "
        "tidak gagal panen.",
        "#Iklim #MusimTanam #Pertanian",
        "#1e40af",
    ),
    DemoPost(
        27,
        16,
        NEWS,
        "Rapat evaluasi akhir tahun",
        "Tim PTPSW menyusun evaluasi kegiatan tahun ini. Terima kasih kepada semua mitra "
        "daerah atas kerja samanya!",
        "PTPSW menggelar rapat evaluasi akhir tahun. Sepanjang tahun ini kami bekerja sama "
        "dengan 18 pemerintah daerah dan menyerahkan 42 paket data. Terima kasih kepada "
        "semua mitra atas kepercayaannya.",
        "#EvaluasiTahunan #KerjaSama #BPPT",
        "#374151",
    ),
]


@dataclass(frozen=True)
class DemoTemplate:
    name: str
    kind: TemplateKind
    title: str
    base_text: str
    texts: dict[str, str]
    category: str
    hashtags: list[str]


# The unit's starting template library: a greeting card for observance days, an event
# announcement and an activity report ("[...]" marks what the writer fills in).
TEMPLATES = [
    DemoTemplate(
        name="Kartu ucapan hari peringatan",
        kind=TemplateKind.greeting,
        title="Ucapan [nama hari]",
        base_text="Selamat [nama hari]! [Satu kalimat makna hari ini bagi tugas unit kita.] "
        "Mari bersama [ajakan singkat].",
        texts={
            "instagram": "Selamat [nama hari]! 🇮🇩\n\n[Makna hari ini bagi tugas unit kita, "
            "dua atau tiga kalimat.]\n\nMari bersama [ajakan singkat].",
        },
        category="Ucapan",
        hashtags=["#PTPSW", "#BPPT"],
    ),
    DemoTemplate(
        name="Pengumuman acara",
        kind=TemplateKind.event,
        title="Acara: [nama acara]",
        base_text="Ikuti [nama acara] pada [hari, tanggal] pukul [jam] WIB di [tempat/tautan]. "
        "[Siapa yang cocok ikut dan apa yang didapat.] Daftar: [tautan pendaftaran].",
        texts={
            "x": "[Nama acara] — [hari, tanggal], [jam] WIB, [tempat/tautan]. Daftar: [tautan] 📍",
        },
        category=EVENT,
        hashtags=["#PTPSW", "#Acara"],
    ),
    DemoTemplate(
        name="Laporan kegiatan",
        kind=TemplateKind.report,
        title="Laporan: [nama kegiatan]",
        base_text="Hari ini PTPSW [melaksanakan kegiatan] bersama [mitra] di [tempat]. "
        "[Hasil utama kegiatan, dengan angka bila ada.] [Langkah berikutnya.]",
        texts={},
        category=NEWS,
        hashtags=["#PTPSW", "#BeritaKegiatan"],
    ),
]


def _demo_image(title: str, colour: str) -> bytes:
    """A square 1080×1080 JPEG with the post's title: valid for all three networks."""
    img = Image.new("RGB", (1080, 1080), colour)
    draw = ImageDraw.Draw(img)
    font = ImageFont.load_default(size=64)
    small = ImageFont.load_default(size=36)
    words, lines, line = title.split(), [], ""
    for word in words:
        if len(line) + len(word) > 22:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    y = 540 - 40 * len(lines)
    for text in lines:
        draw.text((90, y), text, fill="white", font=font)
        y += 84
    draw.text((90, 960), "PTPSW · BPPT", fill="white", font=small)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85)
    return out.getvalue()


def _store_image(settings: Settings, unit_id: int, data: bytes) -> str:
    relative = f"{unit_id}/demo/{secrets.token_hex(8)}.jpg"
    path = settings.effective_media_dir / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return relative


async def seed_demo(session: AsyncSession, settings: Settings) -> bool:
    """Create the demo data unless the demo unit exists. Returns whether it created anything."""
    if await session.scalar(select(Unit.id).where(Unit.slug == UNIT_SLUG)) is not None:
        return False
    unit = Unit(name=UNIT_NAME, slug=UNIT_SLUG, timezone="Asia/Jakarta", approval_required=True)
    session.add(unit)
    admin = await get_by_email(session, settings.demo_admin_email) or await create_user(
        session,
        email=settings.demo_admin_email,
        name="Admin Humas PTPSW",
        password=settings.demo_admin_password,
    )
    editor = await get_by_email(session, EDITOR_EMAIL) or await create_user(
        session,
        email=EDITOR_EMAIL,
        name="Kepala Bagian Humas",
        password=settings.demo_admin_password,
    )
    await session.flush()
    session.add_all(
        [
            Membership(user_id=admin.id, unit_id=unit.id, role=Role.admin),
            Membership(user_id=editor.id, unit_id=unit.id, role=Role.editor),
        ]
    )
    accounts = {
        Platform.x: PlatformAccount(
            unit_id=unit.id,
            platform=Platform.x,
            sandbox=True,
            external_id="sandbox-x-ptpsw",
            handle="@PTPSW_BPPT",
            display_name="PTPSW BPPT",
        ),
        Platform.instagram: PlatformAccount(
            unit_id=unit.id,
            platform=Platform.instagram,
            sandbox=True,
            external_id="sandbox-ig-ptpsw",
            handle="@PTPSW_BPPT",
            display_name="PTPSW BPPT",
        ),
        Platform.facebook: PlatformAccount(
            unit_id=unit.id,
            platform=Platform.facebook,
            sandbox=True,
            external_id="sandbox-fb-ptpsw",
            handle="PTPSW.BPPT",
            display_name="Pusat Teknologi Pengembangan Sumber Daya Wilayah",
        ),
    }
    session.add_all(accounts.values())
    await session.flush()

    for template in TEMPLATES:
        session.add(
            PostTemplate(
                unit_id=unit.id,
                name=template.name,
                kind=template.kind,
                title=template.title,
                base_text=template.base_text,
                texts=dict(template.texts),
                category=template.category,
                hashtags=list(template.hashtags),
            )
        )

    zone = ZoneInfo(unit.timezone)
    today = utcnow().astimezone(zone).date()
    for demo in POSTS:
        local = datetime.combine(today.replace(day=demo.day), time(demo.hour), tzinfo=zone)
        data = _demo_image(demo.title, demo.colour)
        image = MediaAsset(
            unit_id=unit.id,
            uploaded_by_id=admin.id,
            kind=MediaKind.image,
            mime_type="image/jpeg",
            size_bytes=len(data),
            width=1080,
            height=1080,
            alt_text=demo.title,
            original_filename="demo.jpg",
            sha256=hashlib.sha256(data).hexdigest(),
            storage_path=_store_image(settings, unit.id, data),
        )
        session.add(image)
        await session.flush()
        post = Post(
            unit_id=unit.id,
            title=demo.title,
            category=demo.category,
            planned_at=local,
            author_id=admin.id,
        )
        post.variants = [
            PostVariant(account_id=accounts[Platform.x].id, text=demo.short, media_links=[]),
            PostVariant(
                account_id=accounts[Platform.instagram].id,
                text=f"{demo.long}\n\n{demo.tags}",
                media_links=[VariantMedia(position=0, media_id=image.id)],
            ),
            PostVariant(account_id=accounts[Platform.facebook].id, text=demo.long, media_links=[]),
        ]
        session.add(post)
    await session.flush()
    return True


async def _with_session(settings: Settings, fn: Callable[[AsyncSession], Awaitable[T]]) -> T:
    async with (
        database(settings.effective_database_url) as factory,
        session_scope(factory) as session,
    ):
        return await fn(session)


def seed_demo_sync(settings: Settings) -> bool:
    return asyncio.run(_with_session(settings, lambda s: seed_demo(s, settings)))


async def _create_admin(session: AsyncSession, email: str, name: str, password: str) -> None:
    if await get_by_email(session, email) is not None:
        raise ValueError(f"a user with email {email} already exists")
    await create_user(session, email=email, name=name, password=password, is_superuser=True)


def create_admin_sync(settings: Settings, *, email: str, name: str, password: str) -> None:
    asyncio.run(_with_session(settings, lambda s: _create_admin(s, email, name, password)))
