"""Demo organisation and one staff member per role, all with the known demo password."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from creditdesk.accounts import twofactor
from creditdesk.accounts.choices import OrgUnitKind, Role
from creditdesk.accounts.services import org_unit_upsert, roles_ensure, user_upsert

# (code, name, kind, parent code)
ORG_TREE = [
    ("HQ", "华信汽车金融有限公司", OrgUnitKind.COMPANY, None),
    ("HQ-RISK", "风险管理部", OrgUnitKind.DEPARTMENT, "HQ"),
    ("HQ-LEGAL", "法务合规部", OrgUnitKind.DEPARTMENT, "HQ"),
    ("HQ-FIN", "计划财务部", OrgUnitKind.DEPARTMENT, "HQ"),
    ("HQ-APPR", "授信审批部", OrgUnitKind.DEPARTMENT, "HQ"),
    ("HQ-INFO", "信息管理部", OrgUnitKind.DEPARTMENT, "HQ"),
    ("HQ-AUDIT", "内部审计部", OrgUnitKind.DEPARTMENT, "HQ"),
    ("SH", "上海分公司", OrgUnitKind.BRANCH, "HQ"),
    ("SH-RETAIL", "上海分公司零售信贷部", OrgUnitKind.DEPARTMENT, "SH"),
    ("SH-CORP", "上海分公司公司业务部", OrgUnitKind.DEPARTMENT, "SH"),
    ("SH-SVC", "上海分公司客户服务部", OrgUnitKind.DEPARTMENT, "SH"),
    ("SH-COLL", "上海分公司资产保全部", OrgUnitKind.DEPARTMENT, "SH"),
    ("BJ", "北京分公司", OrgUnitKind.BRANCH, "HQ"),
    ("BJ-RETAIL", "北京分公司零售信贷部", OrgUnitKind.DEPARTMENT, "BJ"),
]

# (username, full name, org unit code, roles)
DEMO_STAFF = [
    ("sales", "张伟", "SH-RETAIL", [Role.SALES]),
    ("sales2", "王芳", "BJ-RETAIL", [Role.SALES]),
    ("depthead", "李强", "SH-RETAIL", [Role.DEPARTMENT_HEAD]),
    ("risk", "刘洋", "HQ-RISK", [Role.RISK_OFFICER]),
    ("approver", "陈静", "HQ-APPR", [Role.APPROVER]),
    ("legal", "杨磊", "HQ-LEGAL", [Role.LEGAL]),
    ("finance", "赵敏", "HQ-FIN", [Role.FINANCE]),
    ("service", "黄丽", "SH-SVC", [Role.CUSTOMER_SERVICE]),
    ("collector", "周杰", "SH-COLL", [Role.COLLECTOR]),
    ("infoadmin", "吴婷", "HQ-INFO", [Role.INFO_ADMIN]),
    ("auditor", "徐刚", "HQ-AUDIT", [Role.AUDITOR]),
    ("admin", "孙悦", "HQ-INFO", [Role.SYSTEM_ADMIN]),
    # A second risk officer takes the plans' risk review of what `risk` rated (审贷分离), and two more approvers
    # make the credit committee (贷审会) of three that lending/demo.py names.
    ("risk2", "郑浩", "HQ-RISK", [Role.RISK_OFFICER]),
    ("approver2", "马超", "HQ-APPR", [Role.APPROVER]),
    ("approver3", "林娜", "HQ-APPR", [Role.APPROVER]),
]

# Privileged demo staff always sign in with two factors: fixed authenticator secrets (base32), seeded only under
# DEBUG and documented in README.md; `creditdesk demo-otp <username>` prints the current code.
DEMO_OTP_SECRETS = {
    "admin": "DEMOADMINDEMOADMINDEMOADMINDEMOA",
    "infoadmin": "DEMOINFOADMINDEMOINFOADMINDEMOIN",
    "finance": "DEMOFINANCEDEMOFINANCEDEMOFINANC",
}
DEMO_DEVICE_NAME = "demo authenticator"


def seed(*, stdout: Any) -> None:
    roles_ensure()
    units: dict[str, Any] = {}
    for code, name, kind, parent in ORG_TREE:
        units[code] = org_unit_upsert(code=code, name=name, kind=kind, parent=units[parent] if parent else None)
    password = settings.DEMO_PASSWORD
    labels = dict(Role.choices)
    stdout.write(f"Demo staff (password for all: {password}):")
    for number, (username, full_name, unit, roles) in enumerate(DEMO_STAFF, start=1):
        user = user_upsert(
            username=username,
            full_name=full_name,
            org_unit=units[unit],
            roles=[r.value for r in roles],
            password=password,
            is_superuser=Role.SYSTEM_ADMIN in roles,
        )
        if not user.mobile:
            user.mobile = f"1391000{number:04d}"  # synthetic work mobiles, shown masked in the staff directory
            user.save(update_fields=["mobile"])
        stdout.write(f"  {username:<10} {full_name}  {', '.join(str(labels[r]) for r in roles)}  ({units[unit].name})")
        if username in DEMO_OTP_SECRETS and settings.DEBUG:
            twofactor.device_seed(user=user, secret=DEMO_OTP_SECRETS[username], name=DEMO_DEVICE_NAME)
    if settings.DEBUG:
        stdout.write(
            f"Two-factor sign-in for {', '.join(DEMO_OTP_SECRETS)}: `creditdesk demo-otp <username>` prints the code."
        )
    else:
        stdout.write(f"No demo authenticators outside DEBUG: {', '.join(DEMO_OTP_SECRETS)} enrol at first sign-in.")
