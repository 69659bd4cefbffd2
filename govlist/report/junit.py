"""placeholder"""


def render(report, lang, colour=False):
    raise NotImplementedError
