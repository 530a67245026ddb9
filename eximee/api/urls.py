from rest_framework.routers import SimpleRouter

from eximee.api.views import AuditEntryViewSet

router = SimpleRouter(trailing_slash=False)
router.register("audit-entries", AuditEntryViewSet, basename="audit-entry")

urlpatterns = router.urls
