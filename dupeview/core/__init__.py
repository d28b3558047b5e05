"""The Qt-free engine: discovery, fingerprints, cache, similarity, grouping, keep rules, file actions."""
