"""The demo community, as data: Nusantara Cloud, a small-business cloud, router and email
provider, with a bilingual (English and Bahasa Indonesia) support forum.

`manage.py load_demo` turns this into rows, every post, vote and acceptance through
forum.actions. Threads are identified by their title, members by their username, and
categories by their slug, so editing this file and re-running the command adds only
what is new.

Votes are usernames (a leading "-" is a downvote). The loader casts staff and moderator
votes first, so members have earned the reputation to vote by the time their own votes
are cast; keep that in mind when adding a member vote.
"""

from dataclasses import dataclass
from textwrap import dedent

STAFF, MODERATOR, MEMBER = "staff", "moderator", "member"


@dataclass(frozen=True)
class Member:
    username: str
    display_name: str
    password: str
    role: str = MEMBER


@dataclass(frozen=True)
class Category:
    slug: str
    title: str
    intro: str
    icon: str  # the emoji, shown when no icon is chosen
    colour: str
    icon_name: str = ""  # one of forum.category_icons.CHOICES


@dataclass(frozen=True)
class Reply:
    """An answer, with the comments under it and who voted on it."""

    author: str
    body: str
    comments: tuple[tuple[str, str], ...] = ()
    votes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Thread:
    category: str
    asker: str
    title: str
    body: str
    tags: tuple[str, ...]
    answers: tuple[Reply, ...] = ()
    comments: tuple[tuple[str, str], ...] = ()
    votes: tuple[str, ...] = ()
    # (index into answers, username): the asker or a moderator marks the solution;
    # a moderator's or staff member's acceptance also verifies it.
    accepted: tuple[int, str] | None = None
    verified_by: str | None = None
    closed_by: str | None = None  # a moderator who closes the question


def md(text: str) -> str:
    return dedent(text).strip()


COMMUNITY_TITLE = "Nusantara Cloud Community"
COMMUNITY_INTRO = (
    "<p>Questions and answers about <b>Nusantara Cloud</b> billing, NusaRouter, cloud "
    "hosting, email and your account, from customers and our support team. "
    "<i>Silakan bertanya dalam Bahasa Indonesia atau English.</i></p>"
)

MEMBERS = (
    Member("rina", "Rina Wulandari", "rina-nusantara-demo", STAFF),
    Member("budi", "Budi Santoso", "budi-nusantara-demo", MODERATOR),
    Member("sari", "Sari Dewi", "sari-nusantara-demo"),
    Member("agus", "Agus Pratama", "agus-nusantara-demo"),
    Member("dimas", "Dimas Saputra", "dimas-nusantara-demo"),
    Member("putri", "Putri Maharani", "putri-nusantara-demo"),
    Member("wayan", "I Wayan Sudarma", "wayan-nusantara-demo"),
    Member("maya", "Maya Lestari", "maya-nusantara-demo"),
    Member("fajar", "Fajar Nugroho", "fajar-nusantara-demo"),
    Member("emily", "Emily Tan", "emily-nusantara-demo"),
    Member("david", "David Lim", "david-nusantara-demo"),
    Member("nina", "Nina Hartono", "nina-nusantara-demo"),
)

CATEGORIES = (
    Category(
        "billing",
        "Billing & Payments",
        "Invoices, payment methods, tax invoices and refunds. "
        "Tagihan, metode pembayaran dan faktur pajak.",
        "💳",
        "#0e7490",
        icon_name="credit-card",
    ),
    Category(
        "nusarouter",
        "NusaRouter & Internet",
        "Setting up and troubleshooting NusaRouter, Wi-Fi and fibre connections. "
        "Router, Wi-Fi dan koneksi fiber.",
        "📶",
        "#16a34a",
        icon_name="router",
    ),
    Category(
        "cloud-hosting",
        "Cloud Hosting",
        "VPS, backups, snapshots and the API. VPS, backup dan API.",
        "☁️",
        "#2563eb",
        icon_name="cloud",
    ),
    Category(
        "email-domains",
        "Email & Domains",
        "Mailboxes, DNS, SPF/DKIM and domain names. Email, DNS dan domain.",
        "📧",
        "#9333ea",
        icon_name="mail",
    ),
    Category(
        "account-security",
        "Account & Security",
        "Logging in, two-factor authentication and team access. Akun, login dan keamanan.",
        "🔐",
        "#ea580c",
        icon_name="lock",
    ),
)

THREADS = (
    # --- Billing & Payments ------------------------------------------------------------
    Thread(
        category="billing",
        asker="putri",
        title="Bagaimana cara mengubah metode pembayaran?",
        body=md("""
            Halo semua,

            Saya ingin mengganti metode pembayaran langganan dari transfer bank ke kartu
            kredit, supaya tagihan bulanan dibayar otomatis. Di halaman **Akun** saya hanya
            melihat riwayat tagihan.

            Menu untuk mengubahnya ada di mana, ya? Apakah tagihan bulan ini ikut berubah?
        """),
        tags=("pembayaran", "tagihan"),
        votes=("budi", "wayan"),
        answers=(
            Reply(
                "rina",
                md("""
                    Halo Kak Putri, metode pembayaran bisa diubah sendiri dari Portal
                    Pelanggan:

                    1. Masuk ke **portal.nusantaracloud.example** dan buka menu
                       **Tagihan → Metode Pembayaran**.
                    2. Klik **Tambah metode**, pilih *Kartu kredit/debit*, lalu isi data kartu.
                    3. Setelah kartu terverifikasi (ada transaksi Rp1 yang langsung
                       dibatalkan), klik **Jadikan utama**.

                    Tagihan yang sudah terbit tetap bisa dibayar dengan transfer. Mulai periode
                    berikutnya, tagihan akan didebet otomatis dari kartu utama.
                """),
                comments=(
                    (
                        "putri",
                        "Terima kasih, Kak! Sudah berhasil, kartunya langsung jadi metode utama.",
                    ),
                ),
                votes=("putri", "budi"),
            ),
        ),
        accepted=(0, "putri"),
    ),
    Thread(
        category="billing",
        asker="emily",
        title="Why was I charged twice for my March invoice?",
        body=md("""
            My card statement shows two charges of Rp 450.000 from Nusantara Cloud on
            1 March, but the portal lists only one paid invoice (INV-2024-03-0187).

            - Plan: Business VPS 4 GB
            - Payment method: Visa, auto-debit

            Is the second charge a mistake? Will it be refunded automatically, or do I need
            to open a ticket?
        """),
        tags=("billing", "refund", "credit-card"),
        votes=("budi", "nina"),
        answers=(
            Reply(
                "rina",
                md("""
                    The second line is almost certainly a **pre-authorisation hold**, not a
                    charge. When an auto-debit fails on the first attempt (for example because
                    of 3-D Secure), our payment gateway retries, and your bank may show both
                    attempts for a few days.

                    How to tell them apart:

                    - A hold shows as *pending* in your banking app and has no settlement date.
                    - Only one payment appears under **Billing → Payments** in the portal.

                    Banks release holds within 3-7 working days. If it is still there after
                    7 days, reply here or open a ticket with a screenshot of the statement and
                    we will ask the gateway for a reversal reference.
                """),
                comments=(("emily", "Thanks Rina, the hold disappeared after three days."),),
                votes=("emily", "david"),
            ),
        ),
        accepted=(0, "budi"),
    ),
    Thread(
        category="billing",
        asker="wayan",
        title="Apakah bisa minta faktur pajak (e-Faktur) untuk langganan bulanan?",
        body=md("""
            Perusahaan kami PKP dan bagian keuangan meminta faktur pajak untuk setiap
            tagihan Nusantara Cloud. Apakah e-Faktur bisa diterbitkan otomatis setiap bulan?
            Data apa saja yang perlu kami kirim?
        """),
        tags=("faktur-pajak", "tagihan"),
        votes=("budi", "putri"),
        answers=(
            Reply(
                "agus",
                md("""
                    Setahu saya harus minta lewat email ke bagian finance setiap bulan, agak
                    repot. Coba tanyakan juga ke CS lewat WhatsApp.
                """),
            ),
            Reply(
                "rina",
                md("""
                    Bisa, dan cukup diatur sekali saja:

                    1. Buka **Akun → Profil Perusahaan**.
                    2. Isi **NPWP**, nama sesuai NPWP, dan alamat NPWP.
                    3. Centang **Terbitkan faktur pajak otomatis**.

                    Setelah itu, e-Faktur terbit paling lambat tanggal 15 bulan berikutnya dan
                    bisa diunduh dari **Tagihan → Dokumen Pajak** dalam format PDF. Untuk
                    tagihan yang sudah lewat, kirim permintaan lewat tiket dengan menyebutkan
                    nomor invoice-nya.
                """),
                comments=(("wayan", "Jelas sekali, terima kasih. NPWP sudah kami isi."),),
                votes=("wayan", "agus"),
            ),
        ),
        accepted=(1, "wayan"),
        verified_by="budi",
    ),
    Thread(
        category="billing",
        asker="david",
        title="How do I download all my invoices as PDF for my accountant?",
        body=md("""
            Our accountant needs every invoice from last year. Downloading them one by one
            from the portal is slow: there are 24 of them across two accounts.

            Is there a bulk export, or an API endpoint I could script?
        """),
        tags=("billing", "invoices", "api"),
        votes=("rina",),
        answers=(
            Reply(
                "sari",
                md("""
                    There is a bulk option, it's just a bit hidden: in **Billing → Invoices**,
                    set the date filter to the whole year, tick the checkbox in the table
                    header and choose **Download as ZIP**.

                    If you'd rather script it, the billing API returns a PDF link for each
                    invoice:

                    ```bash
                    curl -H "Authorization: Bearer $NC_TOKEN" \\
                      "https://api.nusantaracloud.example/v1/invoices?year=2024" \\
                      | jq -r '.data[].pdf_url'
                    ```

                    The token needs the `billing:read` scope.
                """),
                votes=("rina", "david"),
            ),
        ),
    ),
    # --- NusaRouter & Internet ---------------------------------------------------------
    Thread(
        category="nusarouter",
        asker="david",
        title="NusaRouter AX3000 keeps dropping Wi-Fi every few hours",
        body=md("""
            Since last week my NusaRouter AX3000 drops all Wi-Fi clients every 3-4 hours.
            Wired devices stay online, and Wi-Fi comes back after about a minute.

            - Firmware: 2.3.8
            - 5 GHz and 2.4 GHz on the same SSID (band steering on)
            - About 25 devices, mostly laptops and phones

            The system log shows this right before each drop:

            ```
            wlan1: DFS radar detected on channel 100, switching channel
            ```

            What can I do?
        """),
        tags=("nusarouter", "wifi", "firmware"),
        votes=("rina", "budi", "maya", "emily"),
        comments=(("rina", "Thanks for including the log line, it made this easy to diagnose."),),
        answers=(
            Reply(
                "dimas",
                md("""
                    That log line is the clue: you're on a **DFS channel** (52-144 on 5 GHz).
                    When the router detects radar on a DFS channel it must leave it and listen
                    for a minute before transmitting again, which is exactly the drop you see.

                    Pin the 5 GHz radio to a non-DFS channel:

                    1. Open `http://192.168.1.1` and go to **Wireless → 5 GHz → Advanced**.
                    2. Set **Channel** to 36, 40, 44 or 48 (or 149-161 if your devices
                       support them).
                    3. Set **Channel width** to 80 MHz and save.

                    Clients reconnect once, and the drops should stop.
                """),
                comments=(
                    ("david", "Switched to channel 44 two days ago and no drops since. Thank you!"),
                ),
                votes=("rina", "budi", "david", "sari", "agus"),
            ),
            Reply(
                "budi",
                md("""
                    Also worth updating to firmware **2.4.1**: its release notes mention a fix
                    for clients that don't reconnect after a DFS channel change.
                """),
                votes=("rina", "david"),
            ),
        ),
        accepted=(0, "david"),
        verified_by="rina",
    ),
    Thread(
        category="nusarouter",
        asker="sari",
        title="Cara reset NusaRouter ke pengaturan pabrik?",
        body=md("""
            Saya lupa password admin NusaRouter AX1800 setelah teknisi datang minggu lalu.
            Bagaimana cara reset ke pengaturan pabrik? Apakah koneksi internetnya harus
            disetel ulang juga?
        """),
        tags=("nusarouter", "reset"),
        votes=("budi", "putri"),
        answers=(
            Reply(
                "dimas",
                md("""
                    Bisa lewat tombol reset di belakang router:

                    1. Pastikan router menyala, lalu tekan tombol **RESET** dengan ujung klip
                       kertas.
                    2. Tahan sekitar **10 detik** sampai semua lampu berkedip bersamaan, lalu
                       lepaskan.
                    3. Tunggu 2-3 menit sampai lampu **Internet** menyala hijau.

                    Setelah reset, masuk ke `http://192.168.1.1` dengan username `admin` dan
                    password yang tercetak di stiker bawah router. Untuk pelanggan fiber, data
                    koneksi (PPPoE) biasanya terisi otomatis; kalau lampu Internet tetap
                    merah, hubungi CS supaya konfigurasinya dikirim ulang.
                """),
                comments=(("sari", "Berhasil, terima kasih! Lampu Internet langsung hijau lagi."),),
                votes=("budi", "sari"),
            ),
        ),
        accepted=(0, "sari"),
    ),
    Thread(
        category="nusarouter",
        asker="fajar",
        title="Lampu LOS merah berkedip dan internet mati total",
        body=md("""
            Sejak tadi pagi lampu **LOS** di modem berkedip merah dan internet mati total.
            Sudah saya matikan dan nyalakan lagi, tapi masih sama.

            Lokasi: Sleman, Yogyakarta. Apakah ada gangguan di area saya?
        """),
        tags=("fiber", "gangguan"),
        votes=("budi",),
        answers=(
            Reply(
                "rina",
                md("""
                    Lampu LOS merah berarti modem tidak menerima sinyal optik sama sekali, jadi
                    masalahnya ada di kabel fiber, bukan di pengaturan. Beberapa hal yang bisa
                    dicek dulu:

                    - Pastikan kabel fiber (biasanya kuning atau putih tipis) tidak tertekuk
                      tajam atau terjepit pintu.
                    - Cek konektor hijau di belakang modem dan pastikan terpasang rapat.

                    Kalau semuanya terlihat baik, berarti perlu kunjungan teknisi. Kami sudah
                    membuat tiket gangguan untuk area Sleman; teknisi biasanya datang dalam
                    1x24 jam. Mohon kirim ID pelanggan lewat pesan pribadi supaya tiketnya bisa
                    kami tautkan ke akun Anda.
                """),
                votes=("budi", "fajar"),
            ),
        ),
        accepted=(0, "fajar"),
        verified_by="budi",
    ),
    Thread(
        category="nusarouter",
        asker="nina",
        title="How can I forward port 443 to my NAS behind the NusaRouter?",
        body=md("""
            I run a Synology NAS at `192.168.1.20` and want to reach it from outside over
            HTTPS. I added a rule under **NAT → Port Forwarding**:

            | External port | Internal IP  | Internal port | Protocol |
            |---------------|--------------|---------------|----------|
            | 443           | 192.168.1.20 | 5001          | TCP      |

            It works from inside the network but not from my phone on 4G. Do I need a public
            IP for this?
        """),
        tags=("nusarouter", "port-forwarding", "nas"),
        votes=("rina", "dimas", "david"),
        comments=(
            (
                "budi",
                "What does the router's status page show as the WAN address? If it starts "
                "with 100.64, the connection is behind CGNAT and port forwarding can't work.",
            ),
        ),
    ),
    Thread(
        category="nusarouter",
        asker="agus",
        title="Router saya lemot, tolong bantu!!!",
        body=md("""
            Internet lemot banget dari kemarin, sudah restart router berkali-kali tetap
            lemot. Tolong dibantu secepatnya!!!
        """),
        tags=("nusarouter",),
        comments=(
            (
                "budi",
                "Halo Agus, supaya bisa dibantu, mohon tambahkan detail: paket yang dipakai, "
                "hasil speed test (lewat kabel dan Wi-Fi), dan jam berapa lemotnya terasa. "
                "Pertanyaan ini saya tutup dulu; silakan ajukan ulang dengan detail tersebut.",
            ),
        ),
        closed_by="budi",
    ),
    # --- Cloud Hosting -----------------------------------------------------------------
    Thread(
        category="cloud-hosting",
        asker="maya",
        title="How do I add an SSH key to an existing VPS?",
        body=md("""
            I created a VPS with password login and now want to switch to SSH keys only.
            I have a key pair on my laptop (`~/.ssh/id_ed25519`).

            What's the safest way to add the key and then turn off password login without
            locking myself out?
        """),
        tags=("vps", "ssh", "security"),
        votes=("rina", "dimas"),
        answers=(
            Reply(
                "agus",
                md("""
                    Do it in steps, and keep your current session open until you've tested
                    the key.

                    1. Copy the key to the server:

                       ```bash
                       ssh-copy-id -i ~/.ssh/id_ed25519.pub root@your-vps-ip
                       ```

                    2. In a **new** terminal, check that the key works:

                       ```bash
                       ssh -i ~/.ssh/id_ed25519 root@your-vps-ip
                       ```

                    3. Only then disable passwords in `/etc/ssh/sshd_config`:

                       ```
                       PasswordAuthentication no
                       PermitRootLogin prohibit-password
                       ```

                       and reload the service with `sudo systemctl reload ssh`.

                    If you do lock yourself out, the **Console** button in the portal opens a
                    browser terminal that doesn't need SSH.
                """),
                comments=(
                    ("maya", "Worked perfectly, and good to know about the console button."),
                ),
                votes=("rina", "budi", "maya", "dimas"),
            ),
        ),
        accepted=(0, "maya"),
        verified_by="rina",
    ),
    Thread(
        category="cloud-hosting",
        asker="emily",
        title="Nginx returns 502 Bad Gateway after upgrading PHP on my VPS",
        body=md("""
            I upgraded PHP from 8.1 to 8.3 on Ubuntu 22.04 (`apt install php8.3-fpm`) and now
            every page of my WordPress site returns **502 Bad Gateway**.

            The Nginx error log says:

            ```
            connect() to unix:/run/php/php8.1-fpm.sock failed (2: No such file or directory)
            ```

            What did I miss?
        """),
        tags=("vps", "nginx", "php"),
        votes=("rina", "agus"),
        comments=(
            (
                "dimas",
                "Tip: `sudo ss -xlp | grep php` lists the PHP-FPM sockets that actually exist.",
            ),
        ),
        answers=(
            Reply(
                "dimas",
                md("""
                    Your Nginx config still points at the PHP **8.1** socket, which
                    disappeared when 8.1-fpm was removed. Point it at the 8.3 one:

                    ```nginx
                    location ~ \\.php$ {
                        include snippets/fastcgi-php.conf;
                        fastcgi_pass unix:/run/php/php8.3-fpm.sock;
                    }
                    ```

                    Then check and reload:

                    ```bash
                    sudo systemctl enable --now php8.3-fpm
                    sudo nginx -t && sudo systemctl reload nginx
                    ```

                    Also install the 8.3 versions of the extensions WordPress needs
                    (`php8.3-mysql`, `php8.3-curl`, `php8.3-xml`, `php8.3-mbstring`): they are
                    per PHP version.
                """),
                votes=("rina", "emily", "agus"),
            ),
        ),
        accepted=(0, "emily"),
    ),
    Thread(
        category="cloud-hosting",
        asker="wayan",
        title="Bagaimana cara menjadwalkan backup otomatis untuk VPS?",
        body=md("""
            Saya punya VPS untuk toko online dan ingin backup otomatis setiap malam. Apakah
            ada fitur bawaan di Nusantara Cloud, atau saya harus pakai cron sendiri? Berapa
            lama backup disimpan?
        """),
        tags=("vps", "backup"),
        votes=("rina",),
        answers=(
            Reply(
                "rina",
                md("""
                    Ada fitur bawaannya, namanya **Backup Terjadwal**:

                    1. Buka VPS Anda di portal, lalu pilih tab **Backup**.
                    2. Klik **Aktifkan backup terjadwal** dan pilih jamnya (misalnya 02.00 WIB,
                       saat toko sepi).
                    3. Pilih masa simpan: 7, 14, atau 30 hari.

                    Biayanya 20% dari harga paket per bulan. Backup berupa snapshot seluruh
                    disk, jadi bisa dipulihkan dengan satu klik atau dijadikan VPS baru.

                    Kalau ingin backup database saja setiap jam, tetap bisa ditambah cron
                    sendiri (kredensial MySQL disimpan di `~/.my.cnf`), misalnya:

                    ```bash
                    0 * * * * mysqldump toko | gzip > /var/backups/toko-$(date +\\%H).sql.gz
                    ```
                """),
                comments=(
                    (
                        "wayan",
                        "Sudah saya aktifkan, jam 02.00 dengan masa simpan 14 hari. Terima kasih!",
                    ),
                ),
                votes=("budi", "wayan"),
            ),
        ),
        accepted=(0, "budi"),
    ),
    Thread(
        category="cloud-hosting",
        asker="putri",
        title="Apakah bisa upgrade RAM VPS tanpa restart?",
        body=md("""
            VPS saya (paket 2 GB) sering kehabisan memori saat jam sibuk. Kalau upgrade ke
            4 GB, apakah VPS harus restart? Saya khawatir situsnya mati di jam kerja.
        """),
        tags=("vps", "upgrade"),
        votes=("rina", "wayan"),
        answers=(
            Reply(
                "agus",
                md("""
                    Untuk upgrade RAM dan CPU, VPS perlu **restart sekali** (sekitar 1-2
                    menit), karena memori tambahan baru terbaca saat boot. Disk bisa
                    diperbesar tanpa restart.

                    Supaya aman:

                    - Jadwalkan upgrade di luar jam sibuk, misalnya malam hari.
                    - Buat snapshot dulu sebelum upgrade.
                    - Setelah restart, cek dengan `free -h` bahwa memorinya sudah 4 GB.
                """),
                votes=("budi", "putri"),
            ),
            Reply(
                "fajar",
                "Saya juga mengalami hal yang sama, VPS saya sering hang. Ada solusinya?",
                comments=(
                    (
                        "budi",
                        "Halo Fajar, mohon jangan menulis pertanyaan baru sebagai jawaban. "
                        "Silakan buat pertanyaan sendiri dengan detail VPS Anda supaya bisa "
                        "dibantu.",
                    ),
                ),
                votes=("-budi",),
            ),
        ),
    ),
    Thread(
        category="cloud-hosting",
        asker="david",
        title="Is there an API to create VPS snapshots from a cron job?",
        body=md("""
            I'd like to take a snapshot of three VPSes every Sunday night and keep the last
            four. The portal's scheduled backups are daily only.

            Is there an API endpoint for snapshots, and can it delete old ones? An example
            with `curl` would be great.
        """),
        tags=("vps", "api", "backup"),
        votes=("budi", "agus", "maya"),
        comments=(
            (
                "agus",
                "Not sure about snapshots, but the API docs list a `/v1/servers/{id}/backups` "
                "endpoint; might be worth a look.",
            ),
        ),
    ),
    # --- Email & Domains ---------------------------------------------------------------
    Thread(
        category="email-domains",
        asker="nina",
        title="Emails from my domain land in Gmail's spam folder: how do I set up SPF and DKIM?",
        body=md("""
            I host `kopi-senja.example` with Nusantara Cloud Email. Messages we send to
            customers on Gmail almost always end up in spam. A friend said I need SPF and
            DKIM records, but I'm not sure what to put in the DNS zone.

            Current TXT records: none.
        """),
        tags=("email", "dns", "spf", "dkim"),
        votes=("budi", "emily"),
        answers=(
            Reply(
                "sari",
                md("""
                    You need three records; add them in **Domains → DNS Zone**:

                    1. **SPF** (TXT on `@`):

                       ```
                       v=spf1 include:_spf.nusantaracloud.example ~all
                       ```

                    2. **DKIM**: in **Email → Settings → DKIM** click **Generate key**. The
                       portal shows a TXT record named `nc1._domainkey`; copy it exactly.

                    3. **DMARC** (TXT on `_dmarc`), starting in monitoring mode:

                       ```
                       v=DMARC1; p=none; rua=mailto:postmaster@kopi-senja.example
                       ```

                    DNS changes take up to an hour. Then send a message to a Gmail address,
                    open it, choose **Show original**, and check that SPF, DKIM and DMARC all
                    say `PASS`.
                """),
                comments=(("nina", "All three show PASS now. Thanks Sari!"),),
                votes=("rina", "budi", "nina", "maya"),
            ),
        ),
        accepted=(0, "nina"),
        verified_by="rina",
    ),
    Thread(
        category="email-domains",
        asker="fajar",
        title="Cara mengarahkan domain dari registrar lain ke hosting Nusantara Cloud",
        body=md("""
            Domain saya terdaftar di registrar lain, tapi hosting-nya sekarang di Nusantara
            Cloud. Apakah saya harus memindahkan domain, atau cukup mengubah DNS? Mohon
            langkah-langkahnya.
        """),
        tags=("domain", "dns"),
        votes=("budi",),
        answers=(
            Reply(
                "maya",
                md("""
                    Tidak perlu memindahkan domain, cukup ubah **nameserver** di registrar
                    lama:

                    1. Masuk ke panel registrar, cari menu **Nameserver** atau
                       **DNS Management**.
                    2. Ganti nameserver menjadi:

                       ```
                       ns1.nusantaracloud.example
                       ns2.nusantaracloud.example
                       ```

                    3. Di portal Nusantara Cloud, tambahkan domainnya lewat
                       **Domains → Tambah Domain** supaya zona DNS-nya dibuat.

                    Propagasi biasanya 1-24 jam. Bisa dicek dengan
                    `dig NS domainanda.com +short`.
                """),
                comments=(("fajar", "Sudah jalan, terima kasih Kak Maya!"),),
                votes=("budi", "fajar"),
            ),
        ),
        accepted=(0, "fajar"),
    ),
    Thread(
        category="email-domains",
        asker="sari",
        title="Kuota mailbox penuh, bagaimana cara menambah kapasitas?",
        body=md("""
            Mailbox admin@ di kantor kami sudah penuh (5 GB) dan email masuk ditolak. Apakah
            kuota bisa ditambah hanya untuk satu mailbox, atau harus upgrade paket email
            untuk semua pengguna?
        """),
        tags=("email", "kuota"),
        votes=("rina", "putri", "wayan"),
    ),
    # --- Account & Security ------------------------------------------------------------
    Thread(
        category="account-security",
        asker="maya",
        title="How do I turn on two-factor authentication for my team members?",
        body=md("""
            We have six people with access to our Nusantara Cloud account. I enabled 2FA for
            myself, but I'd like to **require** it for everyone on the team. Is that
            possible, and what happens to members who haven't set it up yet?
        """),
        tags=("security", "2fa", "team"),
        votes=("budi", "nina", "emily"),
        answers=(
            Reply(
                "rina",
                md("""
                    Yes, account owners can enforce it:

                    1. Go to **Account → Team → Security**.
                    2. Turn on **Require two-factor authentication**.
                    3. Choose a grace period (24 hours to 7 days).

                    During the grace period, members without 2FA see a banner asking them to
                    set it up. After it ends, they can still sign in but are taken straight to
                    the 2FA setup page before they can do anything else. API tokens keep
                    working, so your deployments aren't affected.
                """),
                votes=("maya",),
            ),
        ),
        accepted=(0, "maya"),
    ),
    Thread(
        category="account-security",
        asker="agus",
        title="Lupa password dan email pemulihan sudah tidak aktif",
        body=md("""
            Saya lupa password akun Nusantara Cloud, dan email yang terdaftar adalah email
            kantor lama yang sudah tidak aktif. Bagaimana cara memulihkan akun? Layanan masih
            berjalan dan tagihan dibayar otomatis.
        """),
        tags=("akun", "keamanan"),
        votes=("rina", "sari"),
        answers=(
            Reply(
                "budi",
                md("""
                    Karena email lama tidak bisa dipakai, pemulihan harus lewat verifikasi
                    manual:

                    1. Buka halaman login, klik **Lupa password → Email tidak bisa diakses**.
                    2. Isi formulir dengan ID pelanggan, nomor HP terdaftar, dan email baru.
                    3. Unggah foto **KTP** pemilik akun dan 4 digit terakhir kartu yang dipakai
                       untuk pembayaran.

                    Tim support akan memverifikasi dalam 1 hari kerja, lalu mengirim tautan
                    reset ke email baru. Setelah berhasil masuk, jangan lupa aktifkan 2FA.
                """),
                votes=("rina", "agus"),
            ),
        ),
        accepted=(0, "agus"),
    ),
)


# --- Bahasa Indonesia ---------------------------------------------------------------------
# The Indonesian translations of the community index (the home page, /id/) and the
# categories, as Wagtail translations (same translation_key, locale "id"; docs/i18n.md).
# Keyed by the English category's slug: (slug, title, intro).

COMMUNITY_TITLE_ID = "Komunitas Nusantara Cloud"
COMMUNITY_INTRO_ID = (
    "<p>Tanya jawab seputar tagihan <b>Nusantara Cloud</b>, NusaRouter, cloud hosting, email "
    "dan akun Anda, dari sesama pelanggan dan tim dukungan kami. "
    "<i>Feel free to ask in English, too.</i></p>"
)

CATEGORIES_ID = {
    "billing": (
        "tagihan",
        "Tagihan & Pembayaran",
        "Tagihan, metode pembayaran, faktur pajak dan pengembalian dana.",
    ),
    "nusarouter": (
        "nusarouter-internet",
        "NusaRouter & Internet",
        "Memasang dan memperbaiki NusaRouter, Wi-Fi dan koneksi fiber.",
    ),
    "cloud-hosting": (
        "cloud-hosting",
        "Cloud Hosting",
        "VPS, backup, snapshot dan API.",
    ),
    "email-domains": (
        "email-domain",
        "Email & Domain",
        "Kotak surat, DNS, SPF/DKIM dan nama domain.",
    ),
    "account-security": (
        "akun-keamanan",
        "Akun & Keamanan",
        "Masuk ke akun, autentikasi dua faktor dan akses tim.",
    ),
}
