"""Load test (`make load`): a locust scenario of the roles' real actions against gunicorn."""
