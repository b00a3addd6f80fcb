"""`new env` and `new module`: the files a new environment or module starts from, checked before writing."""
