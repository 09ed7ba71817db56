"""Django admin for Discuss: staff manage categories with their group grants, and tags.

Topics and posts are read-only here (moderation happens on the site, through the services, so
counters and revisions stay right); only a topic's status flags can be changed. Private messages are
left out: staff see them only on the site, as participants.
"""

from django.contrib import admin

from .models import Category, CategoryGrant, Post, Tag, Topic


class CategoryGrantInline(admin.TabularInline):
    model = CategoryGrant
    extra = 1
    autocomplete_fields = ["group"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent", "position", "accepts_solutions", "topic_count", "post_count"]
    list_editable = ["position"]
    list_filter = ["parent", "accepts_solutions", "allows_events"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["topic_count", "post_count"]
    inlines = [CategoryGrantInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            # One level of subcategories: only top-level categories can be parents.
            kwargs["queryset"] = Category.objects.filter(parent__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "description"]
    search_fields = ["name"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "user", "created_at", "reply_count", "closed", "archived", "unlisted"]
    list_filter = ["category", "closed", "archived", "unlisted", "pinned_globally"]
    search_fields = ["title"]
    date_hierarchy = "created_at"
    list_select_related = ["category", "user"]
    fields = [
        "title", "category", "user", "language", "tags", "created_at", "bumped_at", "posts_count",
        "reply_count", "like_count", "views", "solution_post", "deleted_at",
        "closed", "archived", "unlisted", "pinned_globally", "pinned_at",
    ]  # fmt: skip
    readonly_fields = [f for f in fields if f not in {"closed", "archived", "unlisted", "pinned_globally", "pinned_at"}]

    def get_queryset(self, request):
        # Staff read only the private messages they take part in, on the site: never here, where an
        # anonymous sender's name would show.
        return super().get_queryset(request).filter(is_message=False)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["__str__", "topic", "user", "created_at", "like_count", "deleted_at"]
    list_select_related = ["topic", "user"]
    search_fields = ["raw"]
    readonly_fields = ["topic", "number", "user", "raw", "html", "language", "reply_to_number", "created_at",
                       "updated_at", "version", "like_count", "deleted_at", "deleted_by"]  # fmt: skip
    fields = readonly_fields

    def get_queryset(self, request):
        # As for topics: the posts of private messages are not shown here.
        return super().get_queryset(request).filter(topic__is_message=False)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
