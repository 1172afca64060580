"""The Models & pricing page: data (live prices, snapshot, key facts), compute (tables), figures."""
