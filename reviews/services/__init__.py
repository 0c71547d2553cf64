"""Every write of the review stage. One module per concern; views import from the module they need."""
