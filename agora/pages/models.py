"""Site pages: the code of conduct, the guidelines and "about", edited by staff with history."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# The pages the site has, by slug (each has its own address, see pages/urls.py). The code of conduct is
# the one members accept; the others are read only.
CODE_OF_CONDUCT = "code-of-conduct"
PAGE_SLUGS = (CODE_OF_CONDUCT, "guidelines", "editorial-guidelines", "about")


class SitePage(models.Model):
    """One page as it reads now; every save also writes a SitePageRevision."""

    slug = models.SlugField(max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=200)
    raw = models.TextField(_("text (Markdown)"))
    html = models.TextField(editable=False)  # rendered once, when saved
    # Raised by staff when a change is one members must accept again (only the code of conduct uses it).
    version = models.PositiveIntegerField(default=1)
    # When the version was last raised, and a line saying what changed: shown on the accept page.
    version_note = models.CharField(max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"/{self.slug}"


class SitePageTranslation(models.Model):
    """A page in another language, written by staff: its own title and text, with its own history (the
    page's revisions in that language). It translates the page as it was at `version`: when the code of
    conduct's version moves on, readers are told the translation is older than the text in force."""

    page = models.ForeignKey(SitePage, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=20)  # a content language code
    title = models.CharField(_("title"), max_length=200)
    raw = models.TextField(_("text (Markdown)"))
    html = models.TextField(editable=False)  # rendered once, when saved
    version = models.PositiveIntegerField()  # the page's version this translation translates
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["page", "language"]
        constraints = [models.UniqueConstraint(fields=["page", "language"], name="pages_translation_one_per_language")]

    def __str__(self) -> str:
        return f"{self.page_id} ({self.language})"

    @property
    def is_behind(self) -> bool:
        """Whether the page's version moved on since this was written (the code of conduct only)."""
        return self.version < self.page.version


class SitePageRevision(models.Model):
    """What a page (or one of its translations) said after one save, who saved it and when. Never
    changed afterwards. Numbers count every save of the page, whatever its language."""

    page = models.ForeignKey(SitePage, on_delete=models.CASCADE, related_name="revisions")
    # "" for the page itself, else the language of the translation saved.
    language = models.CharField(max_length=20, blank=True, default="")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    raw = models.TextField()
    version = models.PositiveIntegerField()  # the page's version after this save
    version_raised = models.BooleanField(default=False)
    note = models.CharField(max_length=500, blank=True)  # the editor's summary of the change
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["page", "number"]
        constraints = [models.UniqueConstraint(fields=["page", "number"], name="pages_revision_number_unique")]

    def __str__(self) -> str:
        return f"{self.page_id} #{self.number}"


class CodeAcceptance(models.Model):
    """A member accepted this version of the code of conduct, at this time."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="code_acceptances")
    version = models.PositiveIntegerField()
    accepted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-accepted_at"]
        constraints = [models.UniqueConstraint(fields=["user", "version"], name="pages_acceptance_once_per_version")]

    def __str__(self) -> str:
        return f"{self.user_id} v{self.version}"
