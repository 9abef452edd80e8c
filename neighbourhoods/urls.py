app_name = "neighbourhoods"

urlpatterns = []
