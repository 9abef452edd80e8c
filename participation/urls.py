app_name = "participation"

urlpatterns = []
