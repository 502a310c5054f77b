"""The generic extractor's block model: written by bench/train_extractor.py from both extraction dev
sets, not by hand. Weights apply to raw features (harvester.extract.generic.FEATURES)."""

WEIGHTS = {
    'kept': 4.0,
    'kept_before': -0.03489535583444436,
    'kept_after': 0.2880290174218726,
    'candidate': 0.04171860894806236,
    'under_furniture': -0.32287195060913254,
    'h1': 0.39685320684196024,
    'prose': 0.13228319998064988,
    'middling': -0.1912166217531144,
    'short': -0.3824603098432395,
    'log_chars': 0.12511956584055367,
    'link_share': -0.4267005562012236,
    'final_stop': 0.18634181149963802,
    'p': 0.20320534128186943,
    'li': 0.7230451160057557,
    'heading': -0.07744898830806282,
    'cell': 1.044640368892688,
    'under_hint': -0.11248232942187449,
    'repeated': 0.8704721294377847,
    'position': -0.5864863027930917,
    'depth': -0.27508750887889966,
    'dropped_prose': 0.28905108403566415,
}
BIAS = -2.477601781386249
# What these numbers score on the pages they were fitted on, as the training script measured it:
# tests/test_generic_model.py checks that the packaged extractor reproduces them exactly.
TRAINED_SCORES = {
    'news': {'f1': 0.9649685184738372, 'precision': 0.9488153529828522, 'recall': 0.9816812107878855, 'pages': 80},
    'snippets': {'f1': 0.9280387770320656, 'precision': 0.9218518518518518, 'recall': 0.9343093093093093, 'pages': 884},
}
