"""Monitoring's pages, by concept: reports, a partnership's page, reviews and
complaints (monitoring/urls.py names each module's views)."""
