"""The generic extractor's block model: written by bench/train_extractor.py from both extraction dev
sets, not by hand. Weights apply to raw features (harvester.extract.generic.FEATURES)."""

WEIGHTS = {
    'kept_before': 0.0453465427531897,
    'kept_after': 0.2220423830290627,
    'prose': 0.2962713235384822,
    'middling': -0.22040754480835106,
    'short': -0.3948374119214642,
    'log_chars': 0.14693740172272673,
    'link_share': -1.6017857215018279,
    'final_stop': 0.24765257380301559,
    'p': 0.17204478077752342,
    'li': 0.26752149277937926,
    'heading': -0.22508011787190133,
    'cell': 0.2664284216699216,
    'under_hint': 0.08159076075646048,
    'repeated': 0.06843592417469423,
    'position': -0.27837878891873624,
    'depth': -0.09985366124802929,
}
BIAS = 1.3256664623923895
# What these numbers score on the pages they were fitted on, as the training script measured it:
# tests/test_generic_model.py checks that the packaged extractor reproduces them exactly.
TRAINED_SCORES = {
    'news': {'f1': 0.9649685184738372, 'precision': 0.9488153529828522, 'recall': 0.9816812107878855, 'pages': 80},
    'snippets': {'f1': 0.9270113869703193, 'precision': 0.9220200519866321, 'recall': 0.9320570570570571, 'pages': 884},
}
