"""Small factories shared by all tests. Boundaries are real GeoJSON around Musterstadt."""

import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils.text import slugify

from neighbourhoods.models import Area, AreaAssignment

_counter = itertools.count(1)


def square(lng, lat, size=0.01):
    """A GeoJSON Polygon: the square with its south-west corner at (lng, lat)."""
    return {
        "type": "Polygon",
        "coordinates": [
            [
                [lng, lat],
                [lng + size, lat],
                [lng + size, lat + size],
                [lng, lat + size],
                [lng, lat],
            ]
        ],
    }


def make_area(name=None, *, boundary=None, parent=None, kind=None, **extra):
    name = name or f"Gebiet {next(_counter)}"
    kind = kind or (Area.Kind.SOCIAL_SPACE if parent else Area.Kind.QUARTER)
    return Area.objects.create(
        name=name,
        slug=extra.pop("slug", slugify(name)),
        kind=kind,
        parent=parent,
        boundary=boundary,
        **extra,
    )


def make_user(username=None, **extra):
    username = username or f"person{next(_counter)}"
    password = extra.pop("password", "geheim-und-lang-genug")
    user = get_user_model().objects.create_user(
        username=username, email=extra.pop("email", f"{username}@example.org"), **extra
    )
    user.set_password(password)
    user.save()
    return user


def make_manager(*areas, username=None):
    user = make_user(username, is_staff=True)
    user.groups.add(Group.objects.get(name="Quartiersmanagement"))
    for area in areas:
        AreaAssignment.objects.create(user=user, area=area, role=AreaAssignment.Role.MANAGER)
    return user


def make_coordination(username=None):
    user = make_user(username, is_staff=True)
    user.groups.add(Group.objects.get(name="Quartierskoordination"))
    return user
