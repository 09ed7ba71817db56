"""Version 1 of the REST API: django-ninja routers, schemas, authentication, limits and problem documents."""
