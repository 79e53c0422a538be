"""Synthetic but realistic support threads, in English and Bahasa Indonesia, for load tests.

Random words drawn from a vocabulary are a poor model of a forum: every document then
holds a bit of every common word, no two words go together, and no thread is *about*
anything. Here each thread has a topic (one of the 125 real StackFAQ threads) and its
text comes from a bigram Markov chain trained on real support text, which keeps jumping
back to the topic's own words. So threads about the same topic share their rare words,
word pairs are ones people write ("delete my account"), and word frequencies follow the
source. A long tail of product codes, error codes and made-up names (1% of words)
gives the index the many rare words a real forum has. A thread (title, body, answers)
averages about 150 words. The Indonesian side is thin (60 sentences), so its words are
commoner than in a real Indonesian forum: Indonesian queries are among the broadest.

A share of threads (30% by default) is in Bahasa Indonesia: a chain trained on the
Indonesian support sentences below (written for this benchmark, not taken from the
queries), mixing in the topic's English product words as Indonesian speakers do ("akun
Facebook saya tidak bisa dibuka").
"""

import json
import os
import random
import re
from collections import defaultdict
from pathlib import Path

# The shared corpora (../shared/testdata beside the checkout; TANYA_TESTDATA to point elsewhere,
# /work/shared/testdata on the project's machines when the checkout lives elsewhere).
DATA = next(
    (
        path
        for path in (
            Path(os.environ.get("TANYA_TESTDATA", "/nonexistent")),
            Path(__file__).resolve().parent.parent.parent / "shared" / "testdata",
            Path("/work/shared/testdata"),
        )
        if path.is_dir()
    ),
    Path(__file__).resolve().parent.parent.parent / "shared" / "testdata",
)

INDONESIAN_TEXT = """
Bagaimana cara mengganti kata sandi akun saya?
Saya lupa kata sandi dan email pemulihan sudah tidak aktif.
Akun saya tiba-tiba terkunci setelah saya masuk dari perangkat baru.
Pembayaran saya gagal padahal saldo di rekening masih cukup.
Tagihan bulan ini lebih besar dari biasanya, apakah ada biaya tambahan?
Kartu kredit saya ditolak saat membayar langganan tahunan.
Saya sudah membayar lewat transfer bank tetapi status pesanan masih menunggu pembayaran.
Bagaimana cara membatalkan langganan dan meminta pengembalian dana?
Aplikasi selalu keluar sendiri setelah diperbarui ke versi terbaru.
Notifikasi tidak muncul di ponsel walaupun pengaturan sudah diaktifkan.
Coba hapus cache aplikasi lalu masuk kembali ke akun Anda.
Silakan buka menu pengaturan, pilih akun, lalu tekan tombol ubah kata sandi.
Pastikan koneksi internet stabil sebelum mengunggah berkas yang besar.
Berkas yang saya unggah tidak muncul di folder bersama.
Bagaimana cara mengekspor semua kontak ke berkas CSV?
Saya ingin menghapus akun secara permanen beserta semua data saya.
Data yang sudah dihapus tidak dapat dikembalikan lagi.
Apakah ada cara untuk memulihkan pesan yang terhapus?
Pesan surel saya masuk ke folder spam penerima.
Tambahkan alamat pengirim ke daftar kontak agar tidak dianggap spam.
Halaman tidak bisa dimuat dan hanya menampilkan layar putih.
Coba gunakan peramban lain atau matikan ekstensi yang terpasang.
Saya tidak menerima kode verifikasi lewat SMS.
Kode verifikasi dikirim ulang setelah satu menit, tunggu sebentar lalu coba lagi.
Bagaimana cara mengaktifkan verifikasi dua langkah di akun saya?
Setelah verifikasi dua langkah aktif, simpan kode cadangan di tempat yang aman.
Faktur pembayaran bisa diunduh dari halaman riwayat transaksi.
Saya ingin mengubah alamat penagihan di faktur perusahaan.
Pesanan saya belum dikirim padahal sudah dibayar tiga hari yang lalu.
Nomor resi pengiriman bisa dilihat di halaman detail pesanan.
Wifi di kantor sering terputus sehingga rapat video terganggu.
Mulai ulang router lalu sambungkan kembali perangkat Anda.
Printer tidak terdeteksi oleh laptop meskipun sudah tersambung ke jaringan yang sama.
Pasang ulang driver printer dari situs resmi produsen.
Bagaimana cara membagikan dokumen hanya kepada anggota tim tertentu?
Atur izin akses dokumen menjadi hanya bisa melihat atau bisa mengedit.
Kalender tidak tersinkron antara ponsel dan komputer.
Periksa apakah akun yang sama digunakan di kedua perangkat.
Foto profil saya tidak berubah walaupun sudah diunggah berkali-kali.
Ukuran gambar maksimal adalah lima megabita dengan format JPG atau PNG.
Saya ingin mengganti nama pengguna tetapi tombolnya tidak aktif.
Nama pengguna hanya bisa diganti sekali dalam tiga puluh hari.
Terima kasih, masalahnya sudah selesai setelah saya memperbarui aplikasi.
Terima kasih atas bantuannya, sekarang sudah bisa masuk lagi.
Apakah fitur ini tersedia untuk akun gratis atau hanya untuk pelanggan berbayar?
Fitur tersebut hanya tersedia untuk paket premium.
Saya mendapat pesan kesalahan saat menyimpan perubahan pengaturan.
Pesan kesalahan itu biasanya muncul karena sesi Anda sudah kedaluwarsa.
Bagaimana cara menghubungi layanan pelanggan di luar jam kerja?
Tim dukungan kami membalas tiket dalam satu hari kerja.
Pembayaran dengan dompet digital belum didukung di negara saya.
Saldo dompet digital sudah terpotong tetapi transaksi dinyatakan gagal.
Dana akan dikembalikan otomatis dalam tiga sampai tujuh hari kerja.
Saya tidak bisa masuk karena akun saya dinonaktifkan tanpa pemberitahuan.
Ajukan banding melalui formulir bantuan dengan menyertakan alamat email akun Anda.
Bagaimana cara mengatur agar balasan otomatis terkirim saat saya cuti?
Aktifkan balasan otomatis dari menu pengaturan surel lalu tentukan tanggalnya.
Video tidak bisa diputar dan hanya muncul ikon memuat terus menerus.
Turunkan kualitas video atau periksa kecepatan internet Anda.
Apakah saya bisa memindahkan data dari akun lama ke akun baru?
Gunakan fitur ekspor di akun lama lalu impor berkasnya di akun baru.
"""

INDONESIAN_QUERIES = [
    "lupa kata sandi akun tidak bisa masuk",
    "pembayaran gagal kartu kredit ditolak",
    "cara membatalkan langganan dan pengembalian dana",
    "kode verifikasi SMS tidak diterima",
    "aplikasi keluar sendiri setelah diperbarui",
    "surel masuk folder spam",
    "printer tidak terdeteksi laptop",
    "cara menghapus akun secara permanen",
    "pesanan sudah dibayar belum dikirim",
    "kalender tidak tersinkron di ponsel",
    "bagaimana mengganti nama pengguna",
    "wifi sering terputus saat rapat video",
]

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_TOKEN = re.compile(r"[^\s]+")
_CONTENT = re.compile(r"^[A-Za-z][a-z]{3,}$")
_STOP = frozenset(
    re.findall(
        r"\w+",
        """that this with from have what your there they will would about which when their
        then than them been were into just also only some more like does tidak yang dengan
        untuk dari sudah saya akan atau bisa""",
    )
)
_SYLLABLES = re.findall(
    r"\w+", "ka ri to ne su mo la pe di an ve xo lu ba ti ko ra me zu fi ga ho je ny sa we"
)


def load_jsonl(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


class Chain:
    """A bigram Markov chain over sentences of real text."""

    def __init__(self, texts: list[str]) -> None:
        successors: dict[str, list[str]] = defaultdict(list)
        self.starts: list[str] = []
        for text in texts:
            for sentence in _SENTENCE.split(text.strip()):
                tokens = _TOKEN.findall(sentence)
                if len(tokens) < 3:
                    continue
                self.starts.append(tokens[0])
                for a, b in zip(tokens, [*tokens[1:], ""], strict=True):
                    successors[a].append(b)  # "" ends the sentence
        self.successors = dict(successors)

    def sentence(self, rng: random.Random, topic: list[str], *, jump: float, tail: float) -> str:
        """One sentence; with probability `jump` a word is replaced by one of `topic`'s
        and the chain continues from it (or from a sentence start if it has no successor)."""
        word = rng.choice(self.starts)
        out = []
        for _ in range(rng.randint(12, 28)):
            roll = rng.random()
            if roll < tail:
                out.append(_rare_word(rng))
            elif roll < tail + jump and topic:
                out.append(rng.choice(topic))
            else:
                out.append(word)
            following = self.successors.get(out[-1]) or self.successors.get(word) or [""]
            word = rng.choice(following)
            if not word:
                break
        text = " ".join(out)
        if text[-1] not in ".?!":
            text += "."
        return text[0].upper() + text[1:]


def _rare_word(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.3:
        return f"{rng.choice(['RT', 'AX', 'Pro', 'ZX', 'M', 'Note'])}-{rng.randint(10, 9999)}"
    if kind < 0.45:
        return f"0x{rng.getrandbits(24):06X}"
    return "".join(rng.choices(_SYLLABLES, k=rng.randint(2, 4)))


class ThreadGenerator:
    def __init__(self, *, indonesian_share: float = 0.3, seed: int = 6) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - test data, not secrets
        self.indonesian_share = indonesian_share
        corpus = load_jsonl("stackfaq_corpus.jsonl")
        self.english = Chain([text for doc in corpus for text in [doc["title"], *doc["answers"]]])
        self.indonesian = Chain(INDONESIAN_TEXT.strip().splitlines())
        self.topics = []
        for doc in corpus:
            tokens = _TOKEN.findall(" ".join([doc["title"], *doc["answers"]]))
            self.topics.append(
                [t for t in tokens if _CONTENT.match(t.strip(".,?!:;\"'()")) and t not in _STOP]
            )

    def thread(self) -> tuple[str, str, list[str]]:
        """(title, body, answers) of one thread: 0 to 4 answers, most threads 1 or 2."""
        rng = self.rng
        topic = rng.choice(self.topics)
        if rng.random() < self.indonesian_share:
            chain, jump = self.indonesian, 0.08
        else:
            chain, jump = self.english, 0.25

        def text(low: int, high: int) -> str:
            return " ".join(
                chain.sentence(rng, topic, jump=jump, tail=0.01)
                for _ in range(rng.randint(low, high))
            )

        title = chain.sentence(rng, topic, jump=jump * 1.5, tail=0.01)
        title = " ".join(title.split()[:14]).rstrip(".,?!") + "?"
        answers = [text(2, 8) for _ in range(rng.choices([0, 1, 2, 3, 4], [1, 4, 3, 2, 1])[0])]
        return title, text(2, 6), answers

    def threads(self, n: int) -> list[tuple[str, str, list[str]]]:
        return [self.thread() for _ in range(n)]
