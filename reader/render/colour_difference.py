"""How different two colours look: CIELAB and the CIEDE2000 colour difference.

A half-block picture may draw a pixel in a neighbour's palette colour instead of its own
nearest, to save an escape sequence; how much further that is must be judged as the eye
judges it. Distance in RGB does not: the same step in RGB is plain to see in a dark green
and hard to see in a light one. CIEDE2000 (the CIE's formula of 2000) weighs lightness,
chroma and hue the way observers matched them; a difference of about 1 is the smallest most
people notice side by side. Written out here (sRGB, D65 white), since the reader has no
numerical library to lean on and needs only these few lines.
"""

from __future__ import annotations

import math

Lab = tuple[float, float, float]
"""A colour in CIELAB: lightness (0-100), then the green-red and blue-yellow axes."""

_WHITE = (0.95047, 1.0, 1.08883)
"""The D65 white point (sRGB's) in XYZ."""
_EPSILON = 216 / 24389
_KAPPA = 24389 / 27
_POW25_7 = 25.0**7


def _linear(value: int) -> float:
    """An sRGB channel (0-255) as linear light (0-1)."""
    channel = value / 255
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


_LINEAR = tuple(_linear(value) for value in range(256))


def _f(ratio: float) -> float:
    return ratio ** (1 / 3) if ratio > _EPSILON else (_KAPPA * ratio + 16) / 116


def lab(red: int, green: int, blue: int) -> Lab:
    """The CIELAB colour of an sRGB colour (each channel 0-255)."""
    r, g, b = _LINEAR[red], _LINEAR[green], _LINEAR[blue]
    x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / _WHITE[0]
    y = (0.2126729 * r + 0.7151522 * g + 0.0721750 * b) / _WHITE[1]
    z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / _WHITE[2]
    fx, fy, fz = _f(x), _f(y), _f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def delta_e(first: Lab, second: Lab) -> float:
    """The CIEDE2000 difference between two CIELAB colours (0: the same)."""
    l1, a1, b1 = first
    l2, a2, b2 = second
    mean_chroma = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    power = mean_chroma**7
    g = 0.5 * (1 - math.sqrt(power / (power + _POW25_7)))
    a1, a2 = (1 + g) * a1, (1 + g) * a2
    c1, c2 = math.hypot(a1, b1), math.hypot(a2, b2)
    h1 = math.degrees(math.atan2(b1, a1)) % 360 if c1 else 0.0
    h2 = math.degrees(math.atan2(b2, a2)) % 360 if c2 else 0.0
    delta_l = l2 - l1
    delta_c = c2 - c1
    if c1 * c2 == 0:
        delta_h_angle = 0.0
        mean_h = h1 + h2
    else:
        delta_h_angle = h2 - h1
        if delta_h_angle > 180:
            delta_h_angle -= 360
        elif delta_h_angle < -180:
            delta_h_angle += 360
        mean_h = (h1 + h2) / 2
        if abs(h1 - h2) > 180:
            mean_h += 180 if h1 + h2 < 360 else -180
    delta_h = 2 * math.sqrt(c1 * c2) * math.sin(math.radians(delta_h_angle / 2))
    mean_l = (l1 + l2) / 2
    mean_c = (c1 + c2) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(mean_h - 30))
        + 0.24 * math.cos(math.radians(2 * mean_h))
        + 0.32 * math.cos(math.radians(3 * mean_h + 6))
        - 0.20 * math.cos(math.radians(4 * mean_h - 63))
    )
    power = mean_c**7
    rotation = (
        -2
        * math.sqrt(power / (power + _POW25_7))
        * math.sin(math.radians(60 * math.exp(-(((mean_h - 275) / 25) ** 2))))
    )
    square_l = (mean_l - 50) ** 2
    lightness = delta_l / (1 + 0.015 * square_l / math.sqrt(20 + square_l))
    chroma = delta_c / (1 + 0.045 * mean_c)
    hue = delta_h / (1 + 0.015 * mean_c * t)
    return math.sqrt(lightness**2 + chroma**2 + hue**2 + rotation * chroma * hue)
