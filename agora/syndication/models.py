"""Syndicated feeds: affiliates' blogs whose new items appear in the Blog as linked entries."""
