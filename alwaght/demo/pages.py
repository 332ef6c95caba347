"""The demo editions' standing pages (About, Contact, Privacy, Terms), in our own words.

Each edition's pages are written in its language for this project (not translated
boilerplate, no claims about any real site). The privacy page states what this
installation's settings actually do with readers' data, so its figures come from
settings when the demo is loaded, written in the edition's digits.
"""

from html import escape

from django.conf import settings
from django.utils.translation import gettext, override

from alwaght.models import Page
from publishing.dates import localize_digits


def _html(blocks: list[str]) -> str:
    parts = []
    for block in blocks:
        if block.startswith("## "):
            parts.append(f"<h2>{escape(block[3:])}</h2>")
        elif block.startswith("- "):
            items = "".join(f"<li>{escape(item)}</li>" for item in block[2:].split("\n- "))
            parts.append(f"<ul>{items}</ul>")
        else:
            parts.append(f"<p>{escape(block)}</p>")
    return "\n".join(parts)


def figures(language: str) -> dict[str, str]:
    """Return the site's name and the privacy page's figures as edition `language` writes them."""
    attempts, window = settings.COMMENTS_RATE_LIMIT
    numbers = {
        "ip_days": settings.COMMENTS_IP_RETENTION_DAYS,
        "seen_minutes": settings.VIEW_REPEAT_SECONDS // 60,
        "attempts": attempts,
        "window": window,
    }
    with override(language):
        site = gettext(settings.SITE_NAME)
    return {"site": site, **{key: localize_digits(str(n), language) for key, n in numbers.items()}}


def standing_pages(language: str = "en") -> dict[str, tuple[str, list[str]]]:
    """Return {slug: (title, blocks)} for the demo edition `language`."""
    if language in OTHER_EDITIONS:
        return OTHER_EDITIONS[language](**figures(language))
    site = settings.SITE_NAME
    ip_days = settings.COMMENTS_IP_RETENTION_DAYS
    seen_minutes = settings.VIEW_REPEAT_SECONDS // 60
    attempts, window = settings.COMMENTS_RATE_LIMIT
    return {
        "about": (
            f"About {site}",
            [
                f"{site} is a demonstration of an open-source newsroom system: a news "
                "and analysis site in three editions, English, Arabic and Persian, each "
                "with its own newsroom and its own articles.",
                "Every article, person, place and event in this demo is invented to show "
                "how the site works. Nothing here is news.",
                "## How we work",
                "Editors write and submit articles; a chief editor reviews and publishes "
                "them. Corrections and updates are dated at the foot of the article they "
                "change.",
            ],
        ),
        "contact": (
            "Contact",
            [
                "Newsroom: newsroom@example.org (a demonstration address: nothing sent "
                "there is read).",
                "To ask for your comments to be erased, write from the address you used "
                "when commenting; every comment sent with it is deleted.",
            ],
        ),
        "privacy": (
            "Privacy",
            [
                "## Reading",
                "Reading this site sets no cookies, and its pages load nothing from other "
                "websites: no advertising, analytics, web fonts or share buttons.",
                "To count a view of an article only once per reader, the server remembers "
                "your IP address together with the article for "
                f"{seen_minutes} minutes, in its temporary memory (cache), never in the "
                "database. What is stored is a number of views per article and hour, "
                "with nothing about who read it; counts older than a month are deleted.",
                "## Comments",
                "When you send a comment we keep:",
                "- your text, and the name and email address if you give them (both are "
                "optional);\n- the time it was sent;\n- your IP address.",
                "Your name is shown with your comment once a moderator approves it; your "
                "email address is never shown. Your IP address is used only against abuse "
                f"(at most {attempts} comments per {window} seconds from one address, and "
                f"a blocklist) and is erased after {ip_days} days by the site's daily "
                "housekeeping. Comments, names and "
                "email addresses are kept while the comment stays on the site.",
                "You can ask for every comment sent with your email address to be erased "
                "(see Contact).",
                "## Staff",
                "Only signed-in staff receive a session cookie, for the editing desk.",
                "## Server logs",
                "Like any website, the server that runs it may keep short access logs "
                "(address, page, time) for security; each installation's operator decides "
                "how long.",
            ],
        ),
        "terms": (
            "Terms of use",
            [
                f"The content of {site} is provided for demonstration. You may quote short "
                "extracts with a link to the article.",
                "Comments must keep to the subject, respect other readers and the law. "
                "Moderators may refuse any comment; nothing appears before it is approved.",
                "Links to other websites are given for information; we are not responsible "
                "for their content.",
            ],
        ),
    }


def arabic_pages(*, site, ip_days, seen_minutes, attempts, window):
    return {
        "about": (
            f"عن {site}",
            [
                f"{site} عرض تجريبي لنظام مفتوح المصدر لغرف الأخبار: موقع أخبار وتحليلات "
                "بثلاث نسخ، العربية والفارسية والإنجليزية، لكل منها غرفة تحرير ومقالات "
                "خاصة بها.",
                "كل مقال وشخص ومكان وحدث في هذا العرض متخيَّل لبيان طريقة عمل الموقع، "
                "وليس فيه شيء من الأخبار الحقيقية.",
                "## كيف نعمل",
                "يكتب المحررون المقالات ويرسلونها للمراجعة، ثم يراجعها رئيس التحرير "
                "وينشرها. وتُؤرَّخ التصحيحات والتحديثات في أسفل المقال الذي تغيّره.",
            ],
        ),
        "contact": (
            "اتصل بنا",
            [
                "غرفة الأخبار: newsroom@example.org (عنوان تجريبي: لا يقرأ أحد ما يُرسل إليه).",
                "لطلب محو تعليقاتك، اكتب إلينا من العنوان الذي استخدمته حين علّقت، "
                "فتُحذف كل التعليقات المرسلة به.",
            ],
        ),
        "privacy": (
            "الخصوصية",
            [
                "## القراءة",
                "قراءة هذا الموقع لا تضع أي ملفات تعريف ارتباط، ولا تحمّل صفحاته شيئاً "
                "من مواقع أخرى: لا إعلانات ولا أدوات إحصاء ولا خطوط ولا أزرار مشاركة.",
                "لكي تُحتسب مشاهدة المقال مرة واحدة لكل قارئ، يتذكّر الخادم عنوان IP "
                f"الخاص بك مع المقال مدة {seen_minutes} دقيقة في ذاكرته المؤقتة، ولا "
                "يحفظه في قاعدة البيانات أبداً. وما يُحفظ هو عدد المشاهدات لكل مقال في "
                "كل ساعة، بلا أي معلومة عمّن قرأ، وتُحذف الأعداد التي مضى عليها شهر.",
                "## التعليقات",
                "حين ترسل تعليقاً نحتفظ بما يلي:",
                "- نصّك، والاسم وعنوان البريد الإلكتروني إن ذكرتهما (وكلاهما اختياري)؛\n"
                "- وقت الإرسال؛\n- عنوان IP الخاص بك.",
                "يظهر اسمك مع تعليقك بعد أن يوافق عليه أحد المشرفين، ولا يظهر بريدك "
                "الإلكتروني أبداً. ولا يُستخدم عنوان IP إلا لمنع الإساءة (تعليقات لا "
                f"تتجاوز {attempts} كل {window} ثانية من العنوان نفسه، وقائمة حظر)، "
                f"ويُمحى بعد {ip_days} يوماً في أعمال الصيانة اليومية للموقع. وتبقى "
                "التعليقات والأسماء وعناوين البريد ما بقي التعليق على الموقع.",
                "يمكنك أن تطلب محو كل تعليق أُرسل بعنوان بريدك (انظر «اتصل بنا»).",
                "## فريق العمل",
                "لا يتلقى ملف تعريف ارتباط للجلسة إلا أفراد الفريق المسجّلون في مكتب التحرير.",
                "## سجلات الخادم",
                "كأي موقع، قد يحتفظ الخادم الذي يشغّله بسجلات وصول قصيرة (العنوان "
                "والصفحة والوقت) لأغراض الأمان، ويقرّر مشغّل كل نسخة مدة الاحتفاظ بها.",
            ],
        ),
        "terms": (
            "شروط الاستخدام",
            [
                f"يُقدَّم محتوى {site} للعرض التجريبي. يمكنك اقتباس مقتطفات قصيرة منه مع "
                "رابط إلى المقال.",
                "على التعليقات أن تلتزم الموضوع وتحترم القرّاء الآخرين والقانون. ويحق "
                "للمشرفين رفض أي تعليق، ولا يظهر تعليق قبل الموافقة عليه.",
                "الروابط إلى مواقع أخرى للاطلاع فقط، ولسنا مسؤولين عن محتواها.",
            ],
        ),
    }


def persian_pages(*, site, ip_days, seen_minutes, attempts, window):
    return {
        "about": (
            f"دربارهٔ {site}",
            [
                f"{site} نمونه‌ای نمایشی از یک سامانهٔ متن‌باز برای اتاق‌های خبر است: "
                "پایگاهی خبری و تحلیلی با سه نسخهٔ فارسی، عربی و انگلیسی که هر کدام "
                "اتاق خبر و مطالب خود را دارد.",
                "همهٔ مطالب، افراد، مکان‌ها و رویدادهای این نمونه ساختگی‌اند و تنها برای "
                "نشان دادن کار سایت نوشته شده‌اند؛ هیچ‌چیز در اینجا خبر واقعی نیست.",
                "## شیوهٔ کار ما",
                "دبیران مطلب می‌نویسند و برای بازبینی می‌فرستند؛ سردبیر آن را بازبینی و "
                "منتشر می‌کند. اصلاحیه‌ها و به‌روزرسانی‌ها با تاریخ در پایان همان مطلب می‌آیند.",
            ],
        ),
        "contact": (
            "تماس با ما",
            [
                "اتاق خبر: newsroom@example.org (نشانی نمایشی: آنچه به آن فرستاده شود "
                "خوانده نمی‌شود).",
                "برای پاک شدن دیدگاه‌هایتان، از همان نشانی‌ای بنویسید که هنگام فرستادن "
                "دیدگاه به کار بردید؛ همهٔ دیدگاه‌هایی که با آن فرستاده شده پاک می‌شود.",
            ],
        ),
        "privacy": (
            "حریم خصوصی",
            [
                "## خواندن",
                "خواندن این سایت هیچ کوکی‌ای نمی‌گذارد و صفحه‌هایش چیزی از سایت‌های دیگر "
                "بار نمی‌کنند: نه تبلیغ، نه ابزار آمار، نه قلم و نه دکمهٔ اشتراک‌گذاری.",
                "برای آنکه بازدید هر خواننده از یک مطلب یک بار شمرده شود، سرور نشانی IP "
                f"شما را همراه با آن مطلب {seen_minutes} دقیقه در حافظهٔ موقت خود نگه "
                "می‌دارد و هرگز در پایگاه داده نمی‌نویسد. آنچه می‌ماند شمار بازدیدهای "
                "هر مطلب در هر ساعت است، بی هیچ نشانی از خواننده؛ شمارهای کهنه‌تر از یک "
                "ماه پاک می‌شوند.",
                "## دیدگاه‌ها",
                "وقتی دیدگاهی می‌فرستید، این‌ها را نگه می‌داریم:",
                "- متن شما، و نام و نشانی ایمیل اگر بدهید (هر دو اختیاری است)؛\n"
                "- زمان فرستادن؛\n- نشانی IP شما.",
                "نام شما پس از تأیید ناظر کنار دیدگاهتان نمایش داده می‌شود؛ نشانی ایمیل "
                "هرگز. نشانی IP تنها برای جلوگیری از سوءاستفاده به کار می‌رود (حداکثر "
                f"{attempts} دیدگاه در هر {window} ثانیه از یک نشانی، و فهرست مسدودها) و "
                f"پس از {ip_days} روز در نگهداری روزانهٔ سایت پاک می‌شود. دیدگاه‌ها، "
                "نام‌ها و نشانی‌های ایمیل تا وقتی دیدگاه روی سایت است نگه داشته می‌شوند.",
                "می‌توانید پاک شدن همهٔ دیدگاه‌هایی را که با نشانی ایمیلتان فرستاده شده "
                "بخواهید (نگاه کنید به «تماس با ما»).",
                "## کارکنان",
                "تنها کارکنانی که به میز تحریریه وارد شده‌اند کوکی نشست می‌گیرند.",
                "## گزارش‌های سرور",
                "مانند هر وب‌سایتی، سروری که آن را اجرا می‌کند ممکن است برای امنیت "
                "گزارش‌های کوتاهی از دسترسی‌ها (نشانی، صفحه، زمان) نگه دارد؛ مدت آن را "
                "گردانندهٔ هر نصب تعیین می‌کند.",
            ],
        ),
        "terms": (
            "شرایط استفاده",
            [
                f"محتوای {site} برای نمایش فراهم شده است. می‌توانید بخش‌های کوتاهی از آن "
                "را با پیوند به مطلب نقل کنید.",
                "دیدگاه‌ها باید به موضوع بپردازند و به خوانندگان دیگر و قانون احترام "
                "بگذارند. ناظران می‌توانند هر دیدگاهی را نپذیرند و هیچ دیدگاهی پیش از "
                "تأیید نمایش داده نمی‌شود.",
                "پیوند به سایت‌های دیگر تنها برای آگاهی است و ما مسئول محتوای آن‌ها نیستیم.",
            ],
        ),
    }


OTHER_EDITIONS = {"ar": arabic_pages, "fa": persian_pages}


def load_standing_pages(language: str = "en") -> None:
    """Create an edition's standing pages once (keyed on their slugs); editors' versions stay."""
    for slug, (title, blocks) in standing_pages(language).items():
        Page.objects.get_or_create(
            language=language, slug=slug, defaults={"title": title, "body": _html(blocks)}
        )
