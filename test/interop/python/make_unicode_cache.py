"""Writes test/fixtures/unicode-cache with the real Python xpersist: artifacts whose
additional_metadata holds non-ASCII text (accents, CJK, an emoji outside the BMP), invisible
characters and Python-exact numbers, so the metadata editor's round trip is pinned against
bytes Python wrote (sidecars are `artifact.json(indent=2)`: ensure_ascii, surrogate pairs).

usage: make_unicode_cache.py <dir>
"""
import sys
import os

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from xp import CacheStore  # noqa: E402

METADATA = {
    'stations-zurich': {
        'city': 'Zürich',
        'variable': '温度',
        'mood': 'calm 🌊 sea',
        'température_moyenne': 1.0,
        'tiny': 1e-07,
        'big': 12345678901234567890,
        'tags': ['naïve', 'Ωmega', None, True],
        'nested': {'région': 'Île-de-France', 'rtl': 'abc\u202edef', 'nl': 'a\nb'},
    },
    'plain-ascii': {'experiment': 'ctrl', 'scale': 2.5, 'count': 3},
}

if __name__ == '__main__':
    store = CacheStore(sys.argv[1])
    for key, meta in METADATA.items():
        store.put(key, [1, 2, 3], serializer='joblib', additional_metadata=meta)
