"""Static reference data (countries, SDGs, ISIC, exchange vocabularies).

Pure Python, no Django models: models, forms, imports and reports all import
these tables so that every part of the platform speaks the same codes.
"""
