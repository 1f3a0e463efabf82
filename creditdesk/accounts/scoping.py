"""Data scope (数据权限): the one function every selector, page and endpoint reads business data through.

A scoped model names two paths as class attributes: `SCOPE_OWNER` (the responsible staff member, e.g. "owner")
and `SCOPE_ORG_UNIT` (the org unit the record belongs to, e.g. "org_unit"). Objects outside the caller's
scope answer 404, so their existence is not leaked.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from creditdesk.accounts.choices import OrgUnitKind
from creditdesk.accounts.models import OrgUnit
from creditdesk.accounts.permissions import Perm, Scope, has_perm, scope_of
from creditdesk.core.errors import NotFound, PermissionDenied


def subtree_ids(unit: OrgUnit) -> list[int]:
    """The ids of an org unit and every unit below it (the tree is small: one query for all units)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in OrgUnit.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    ids, stack = [], [unit.pk]
    while stack:
        current = stack.pop()
        ids.append(current)
        stack.extend(children.get(current, []))
    return ids


def effective_scope(user: Any, perm: Perm | None = None) -> Scope:
    """The user's scope (for `perm`: the scope of the roles granting it), narrowed to their branch when a
    head-office scope is held by branch staff."""
    scope = scope_of(user, perm)
    unit: OrgUnit | None = getattr(user, "org_unit", None)
    if scope == Scope.ALL and unit is not None and unit.branch() is not None:
        return Scope.BRANCH
    return scope


def scope_q(user: Any, *, owner: str, org_unit: str, perm: Perm | None = None) -> Q:
    """A filter selecting the rows within the user's data scope (for `perm`, when given)."""
    scope = effective_scope(user, perm)
    unit: OrgUnit | None = getattr(user, "org_unit", None)
    if scope == Scope.ALL:
        return Q()
    if scope == Scope.OWN:
        return Q(**{owner: user.pk})
    if scope == Scope.DEPARTMENT and unit is not None:
        return Q(**{f"{org_unit}__in": subtree_ids(unit)}) | Q(**{owner: user.pk})
    if scope == Scope.BRANCH and unit is not None:
        branch = unit.branch() or (unit if unit.kind == OrgUnitKind.BRANCH else None)
        if branch is not None:
            return Q(**{f"{org_unit}__in": subtree_ids(branch)}) | Q(**{owner: user.pk})
    return Q(pk__in=[])


def in_scope[M: Model](queryset: QuerySet[M], user: Any, *, perm: Perm | None = None) -> QuerySet[M]:
    """The rows of `queryset` within the user's data scope; the model declares its scope paths.

    Reads pass no permission (the widest scope the user reads in); anything done *to* the rows passes the
    permission it needs, so the scope is the one that comes with the role granting it."""
    model = queryset.model
    owner = getattr(model, "SCOPE_OWNER", None)
    org_unit = getattr(model, "SCOPE_ORG_UNIT", None)
    if owner is None or org_unit is None:
        raise TypeError(f"{model.__name__} declares no SCOPE_OWNER/SCOPE_ORG_UNIT and cannot be scoped")
    return queryset.filter(scope_q(user, owner=owner, org_unit=org_unit, perm=perm))


def get_in_scope[M: Model](queryset: QuerySet[M], user: Any, *, perm: Perm | None = None, **lookup: Any) -> M:
    """One object within the user's scope, or Http404 whether it is missing or merely out of scope."""
    obj = in_scope(queryset, user, perm=perm).filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj


def get_field_in_scope[M: Model](
    queryset: QuerySet[M], user: Any, *, pk: int, field: str, message: str, perm: Perm | None = None
) -> M:
    """`get_in_scope` for an id given in a request body: a 404 naming the field, so the API answers on it."""
    obj = in_scope(queryset, user, perm=perm).filter(pk=pk).first()
    if obj is None:
        raise NotFound(message, fields={field: [message]})
    return obj


def require_in_scope(user: Any, obj: Model, perm: Perm, message: str) -> None:
    """Refuse (403) acting with `perm` on an object outside the scope of the roles granting `perm`.

    The write path's own check: a record the user may read (say, as an auditor) is not therefore one they may
    change under another role's permission."""
    model = type(obj)
    if not in_scope(model._default_manager.filter(pk=obj.pk), user, perm=perm).exists():
        raise PermissionDenied(message, code="out_of_scope")


def require_perm(actor: Any, perm: Perm, message: str, *, on: Model | None = None, code: str | None = None) -> None:
    """The services' guard: 403 unless the actor holds `perm` and, for an existing record `on`, the record lies in
    the scope of the roles granting `perm`."""
    if not has_perm(actor, perm):
        raise PermissionDenied(message, code=code) if code else PermissionDenied(message)
    if on is not None and on.pk is not None and hasattr(type(on), "SCOPE_OWNER"):
        require_in_scope(actor, on, perm, _("This record is outside the data scope of your role for this action."))
