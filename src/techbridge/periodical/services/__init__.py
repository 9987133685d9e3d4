"""The periodical's write path, one module per concern: content, subscriptions, subscriber_import, mailings,
outbox (delivery) and readership."""
