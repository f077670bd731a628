"""Demand the agency can see: searches and page views recorded without anything personal, the
buyer events other wings register (marketplace.shared.events), and the agency's and each
producer's figures, charts and downloads."""
