"""Buyer inquiries (requests for quotation) and sourcing requests: models, forms, views, delivery."""
