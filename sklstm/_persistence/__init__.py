"""Saving and loading: the safe ``.sklstm`` file format (``files``) and the
fitted attributes as plain JSON (``fitted_json``)."""
