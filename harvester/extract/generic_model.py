"""The generic extractor's block model: written by bench/train_extractor.py from both extraction dev
sets, not by hand. Weights apply to raw features (harvester.extract.generic.FEATURES)."""

WEIGHTS = {
    'kept_before': 0.038919356358720174,
    'kept_after': 0.21572913027631413,
    'prose': 0.28901758312105696,
    'middling': -0.22083156893061104,
    'short': -0.3754785610163917,
    'log_chars': 0.14399047603009912,
    'link_share': -1.619377099249097,
    'final_stop': 0.2505544496358642,
    'p': 0.17409254002383007,
    'li': 0.2664215727455291,
    'heading': -0.22920124684486232,
    'cell': 0.2638982948655509,
    'under_hint': 0.08149897134620802,
    'repeated': 0.06147581703099697,
    'position': -0.2780030321490334,
    'depth': -0.1002928184608073,
}
BIAS = 1.3518473230810506
# What these numbers score on the pages they were fitted on, as the training script measured it:
# tests/test_generic_model.py checks that the packaged extractor reproduces them exactly.
TRAINED_SCORES = {
    'news': {'f1': 0.9649685184738372, 'precision': 0.9488153529828522, 'recall': 0.9816812107878855, 'pages': 80},
    'snippets': {'f1': 0.92783889614022, 'precision': 0.921822897369396, 'recall': 0.933933933933934, 'pages': 884},
}
