app_name = "disbursements"

urlpatterns = []
