"""
The relevance suite: search quality measured on judged collections (nDCG@10 and MRR, beside a
plain BM25 baseline), and the `evaluate_search` command that reports it.

A development tool above the features: it loads its collections as content files through the
importer (transfer/), and only reads what search/ ranks.
"""
