"""What the server and the offline snapshot say about models, prices and the key (pure)."""
