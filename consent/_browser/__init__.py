"""How a browser reads what the gate decides on: attribute text (character references), URLs and their
hosts (the WHATWG URL standard), ``srcset`` and ``<meta http-equiv=refresh>`` values, and ``url()`` in CSS.
Pure functions, no rules: the engine (``consent._html``) asks, the tracker table answers."""
