"""The knowledge base's part of the demo community: the index, its FAQ page and a few
articles promoted from solved demo threads (the demo loader calls ensure_kb_index, then
ensure_kb_articles once the threads are in)."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import GroupPagePermission

from accounts.models import User
from forum.models import CommunityIndexPage, Question
from kb import actions
from kb.models import ArticlePage, FAQPage, KnowledgeBaseIndexPage

EDITORS_GROUP = "Knowledge base editors"
EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]

# Solved demo threads (by title) that staff have promoted and published, and whether each
# is on the FAQ page. The other solved threads stay promotion candidates, so the demo can
# show a promotion from start to finish.
ARTICLES = [
    ("Bagaimana cara mengubah metode pembayaran?", True),
    ("NusaRouter AX3000 keeps dropping Wi-Fi every few hours", True),
    ("How do I add an SSH key to an existing VPS?", True),
    ("Emails from my domain land in Gmail's spam folder: how do I set up SPF and DKIM?", False),
]


@transaction.atomic
def ensure_kb_index() -> KnowledgeBaseIndexPage:
    """The published knowledge base under the community index, with its FAQ page, created if
    missing; the "Knowledge base editors" group may add, edit and publish pages in it.
    Safe to run again: it creates only what is missing."""
    index = KnowledgeBaseIndexPage.objects.order_by("path").first()
    if index is None:
        community = CommunityIndexPage.objects.order_by("path").first()
        index = KnowledgeBaseIndexPage(
            title=_("Knowledge base"),
            slug="knowledge-base",
            intro=_("<p>Answers from the community, checked and kept up to date by staff.</p>"),
        )
        community.add_child(instance=index)
        index.save_revision().publish()
    if not FAQPage.objects.child_of(index).exists():
        faq = FAQPage(title=_("Frequently asked questions"), slug="faq")
        index.add_child(instance=faq)
        faq.save_revision().publish()
    group, _created = Group.objects.get_or_create(name=EDITORS_GROUP)
    for codename in EDITOR_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=index,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    return index


@transaction.atomic
def ensure_kb_articles(staff: User) -> int:
    """Promote and publish the demo's articles as `staff`, through the same action as the
    "Add to knowledge base" button and Wagtail's own publishing (so the credited members
    get their bonus). Returns how many it published; safe to run again."""
    published = 0
    for title, is_faq in ARTICLES:
        question = Question.objects.filter(title=title, accepted_answer__isnull=False).first()
        if question is None:
            continue
        article = actions.promote_question(staff, question)
        if article.live:
            continue
        article = ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object()
        article.is_faq = is_faq
        article.save_revision(user=staff).publish(user=staff)
        published += 1
    return published


# --- Bahasa Indonesia ---------------------------------------------------------------------
# The Indonesian knowledge base, its FAQ page and the demo articles' translations, made as
# Wagtail translations of the English pages (docs/i18n.md). An article translated here keeps
# its source's category and FAQ flag; its body is written in Markdown like a post's.

KB_INDEX_ID = (
    "basis-pengetahuan",
    "Basis pengetahuan",
    "<p>Jawaban dari komunitas, diperiksa dan selalu diperbarui oleh staf.</p>",
)
FAQ_ID = ("faq", "Pertanyaan yang sering diajukan")

# By the source question's title: (slug, title, summary, body in Markdown).
ARTICLES_ID = {
    "NusaRouter AX3000 keeps dropping Wi-Fi every few hours": (
        "wi-fi-nusarouter-ax3000-sering-putus",
        "Wi-Fi NusaRouter AX3000 putus setiap beberapa jam",
        "Wi-Fi NusaRouter AX3000 terputus setiap beberapa jam, padahal kabel fiber "
        "tetap tersambung.",
        """
        ## Masalah

        Wi-Fi NusaRouter AX3000 terputus setiap beberapa jam. Lampu internet tetap menyala,
        tetapi semua perangkat kehilangan sambungan sampai router dinyalakan ulang.

        ## Solusi

        1. Perbarui firmware router ke versi terbaru melalui **Pengaturan → Sistem → Firmware**.
        2. Matikan **Smart Connect** dan beri nama jaringan yang berbeda untuk 2,4 GHz dan 5 GHz.
        3. Pilih kanal tetap (misalnya 1, 6 atau 11 untuk 2,4 GHz) alih-alih *Otomatis*.

        Jika masih putus setelah langkah ini, hubungi tim dukungan dengan nomor seri router Anda.
        """,
    ),
    "How do I add an SSH key to an existing VPS?": (
        "menambahkan-kunci-ssh-ke-vps",
        "Cara menambahkan kunci SSH ke VPS yang sudah ada",
        "Menambahkan kunci SSH baru ke VPS yang sudah berjalan, tanpa membuat ulang server.",
        """
        ## Masalah

        Saya ingin masuk ke VPS yang sudah berjalan dengan kunci SSH baru, tanpa membuat ulang
        servernya.

        ## Solusi

        Tambahkan kunci publik Anda ke berkas `authorized_keys` pengguna di server:

        ```bash
        ssh-copy-id -i ~/.ssh/id_ed25519.pub pengguna@alamat-ip-vps
        ```

        Jika belum bisa masuk dengan kata sandi, buka **Konsol** di panel Nusantara Cloud, lalu
        tempelkan kunci publik ke `~/.ssh/authorized_keys` secara manual. Pastikan izin berkasnya
        `600` dan folder `.ssh` berizin `700`.
        """,
    ),
    "Emails from my domain land in Gmail's spam folder: how do I set up SPF and DKIM?": (
        "email-masuk-spam-gmail-spf-dkim",
        "Email dari domain saya masuk folder spam Gmail: cara mengatur SPF dan DKIM",
        "Email dari domain sendiri masuk spam di Gmail; catatan SPF, DKIM dan DMARC "
        "memperbaikinya.",
        """
        ## Masalah

        Email yang dikirim dari domain saya selalu masuk ke folder spam di Gmail.

        ## Solusi

        Tambahkan tiga catatan DNS untuk domain Anda di panel DNS:

        - **SPF**: catatan TXT `v=spf1 include:_spf.nusantaracloud.id ~all`
        - **DKIM**: aktifkan DKIM di **Email → Domain**, lalu salin catatan TXT yang diberikan.
        - **DMARC**: catatan TXT `_dmarc` dengan `v=DMARC1; p=none`

        Perubahan DNS bisa memerlukan waktu hingga 24 jam. Setelah itu, kirim email uji ke Gmail
        dan periksa bahwa SPF dan DKIM bertanda *PASS* di "Tampilkan asli".
        """,
    ),
}
# The demo's Indonesian thread has an English translation the same way.
ARTICLES_EN = {
    "Bagaimana cara mengubah metode pembayaran?": (
        "how-do-i-change-my-payment-method",
        "How do I change my payment method?",
        "Changing the card or bank account your Nusantara Cloud subscription is paid with.",
        """
        ## Problem

        I want to pay my subscription with a different card or bank account.

        ## Solution

        Open **Billing → Payment methods** in your account, add the new card or bank account,
        then choose **Make default**. The next invoice is charged to it; you can then remove
        the old one.
        """,
    ),
}


def _translation(page, locale, staff: User, *, slug: str, title: str, **fields):
    """`page`'s translation in `locale`, created and published if missing (copy_parents makes
    the parents' translations first, as simple_translation's "Translate" does)."""
    existing = type(page).objects.filter(translation_key=page.translation_key, locale=locale)
    if existing.exists():
        return existing.get(), False
    copy = page.copy_for_translation(locale, copy_parents=True)
    copy.slug, copy.title = slug, title
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save_revision(user=staff).publish(user=staff)
    return type(page).objects.get(pk=copy.pk), True


@transaction.atomic
def ensure_kb_translations(staff: User) -> int:
    """The Indonesian knowledge base, FAQ page and the demo articles' translations (and the
    English translation of the Indonesian one), created if missing; how many pages it made.
    The community index's translation must exist first (load_demo makes it)."""
    from textwrap import dedent

    from wagtail.models import Locale

    from kb.blocks import markdown_to_blocks

    made = 0
    indonesian, english = Locale.objects.get(language_code="id"), Locale.get_default()
    index = ensure_kb_index()
    slug, title, intro = KB_INDEX_ID
    _page, created = _translation(index, indonesian, staff, slug=slug, title=title, intro=intro)
    made += created
    faq = FAQPage.objects.child_of(index).get()
    _page, created = _translation(faq, indonesian, staff, slug=FAQ_ID[0], title=FAQ_ID[1])
    made += created
    for texts, locale in ((ARTICLES_ID, indonesian), (ARTICLES_EN, english)):
        for source_title, (slug, title, summary, body) in texts.items():
            article = ArticlePage.objects.live().filter(source_question__title=source_title).first()
            if article is None:
                continue
            if article.locale_id == locale.pk:  # filed in that language already
                continue
            _page, created = _translation(
                article,
                locale,
                staff,
                slug=slug,
                title=title,
                summary=summary,
                body=markdown_to_blocks(dedent(body).strip()),
            )
            made += created
    return made
