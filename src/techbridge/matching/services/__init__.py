"""The matching app's write and read paths, one module per concern: index, matches, alerts, interests,
recovery."""
