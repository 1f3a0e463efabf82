"""Demo customers (客户): about 200 individuals and companies of Shanghai and Beijing, owned by the demo sales staff.

Customers go through `customer_create`, `grade_set` and `authorization_record`, so identifiers are checked,
encrypted and indexed the real way and every customer has its audit trail; referred customers name their partner,
campaign or offline event (ACQ-2). Deterministic (fixed seed): the same book on every empty database.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from creditdesk.accounts.models import User
from creditdesk.core.dates import business_date
from creditdesk.customers.choices import (
    AgreementStatus,
    CampaignSource,
    Channel,
    CustomerKind,
    Grade,
    Housing,
    MaritalStatus,
    MarketingEventKind,
    PartnerKind,
    SavingsBand,
)
from creditdesk.customers.models import Campaign, Customer, MarketingEvent
from creditdesk.customers.services import (
    authorization_record,
    customer_create,
    document_upload,
    grade_set,
    lead_advance,
    lead_convert,
    lead_create,
    major_event_record,
    partner_save,
    statement_record,
)
from creditdesk.customers.synthetic import credit_code, mobile, resident_id

INDIVIDUALS = 160
COMPANIES = 40
AUTHORIZED_SHARE = 0.7
SEED = 2027

# The demo sales staff of accounts/demo.py and their city: customers live and register where their salesperson works.
OWNERS = {"sales": "上海市", "sales2": "北京市"}
OWNER_WEIGHTS = (3, 2)

# Region codes python-stdnum knows (current districts, so the numbers carry no warning), with a few streets each.
DISTRICTS = {
    "上海市": {
        "310101": ("黄浦区", ("南京东路", "西藏南路", "淮海中路", "中山南路")),
        "310104": ("徐汇区", ("漕溪北路", "肇嘉浜路", "天钥桥路", "虹桥路")),
        "310105": ("长宁区", ("延安西路", "天山路", "仙霞路", "长宁路")),
        "310106": ("静安区", ("南京西路", "共和新路", "万航渡路", "江宁路")),
        "310107": ("普陀区", ("曹杨路", "中山北路", "真北路", "武宁路")),
        "310109": ("虹口区", ("四川北路", "曲阳路", "大连西路")),
        "310110": ("杨浦区", ("国定路", "控江路", "黄兴路", "长阳路")),
        "310112": ("闵行区", ("七莘路", "都市路", "虹井路")),
        "310113": ("宝山区", ("牡丹江路", "友谊路", "泰和路")),
        "310115": ("浦东新区", ("世纪大道", "张杨路", "金桥路", "川沙路")),
        "310117": ("松江区", ("人民北路", "荣乐东路")),
        "310120": ("奉贤区", ("南桥路", "解放东路")),
    },
    "北京市": {
        "110101": ("东城区", ("东四北大街", "朝阳门内大街", "和平里东街")),
        "110102": ("西城区", ("西直门内大街", "阜成门外大街", "德胜门外大街")),
        "110105": ("朝阳区", ("建国路", "朝阳北路", "望京街", "安立路")),
        "110106": ("丰台区", ("丰台北路", "南三环西路", "丰管路")),
        "110107": ("石景山区", ("石景山路", "鲁谷路")),
        "110108": ("海淀区", ("中关村大街", "学院路", "北四环西路", "万泉河路")),
    },
}

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢"  # the most common surnames, one character each
    "宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金"
)
GIVEN_NAMES = {
    "M": (
        "伟", "强", "磊", "军", "洋", "勇", "杰", "涛", "明", "超", "刚", "辉", "鹏", "鑫", "斌", "浩",
        "建华", "志强", "建国", "文博", "子轩", "浩然", "宇航", "俊杰", "晓东", "国强", "海涛", "振华",
        "立新", "家豪", "明轩", "思远", "博文", "一鸣", "志伟", "天宇",
    ),
    "F": (
        "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "燕", "玲", "婷", "雪", "琳", "颖", "倩", "慧",
        "欣怡", "雨涵", "梓涵", "思琪", "晓燕", "秀英", "丽娟", "海燕", "雅婷", "佳怡", "婉清", "诗琪",
        "梦瑶", "慧敏", "晓静", "丹丹", "晶晶", "佳琪", "紫萱", "玉兰",
    ),
}  # fmt: skip

# (occupation, employer pattern, monthly income range in yuan, usual purchase purposes)
OCCUPATIONS = (
    ("软件工程师", "{city}{brand}信息技术有限公司", (15000, 40000), ("家用代步", "通勤")),
    ("销售经理", "{city}{brand}商贸有限公司", (10000, 30000), ("家用代步", "商务接待")),
    ("网约车司机", "个体经营", (8000, 15000), ("网约车运营",)),
    ("个体工商户", "{brand}便利店（个体）", (8000, 25000), ("经营用车", "家用代步")),
    ("中学教师", "{city}{brand}中学", (9000, 16000), ("家用代步", "通勤")),
    ("护士", "{city}{brand}医院", (8000, 14000), ("通勤", "家用代步")),
    ("会计", "{city}{brand}会计师事务所有限公司", (8000, 18000), ("家用代步",)),
    ("快递员", "{city}{brand}物流有限公司", (7000, 12000), ("经营用车", "通勤")),
    ("厨师", "{city}{brand}餐饮管理有限公司", (7000, 13000), ("家用代步",)),
    ("医生", "{city}{brand}医院", (15000, 35000), ("家用代步", "换购升级")),
    ("设计师", "{city}{brand}文化传播有限公司", (10000, 25000), ("家用代步", "通勤")),
    ("项目经理", "{city}{brand}建筑工程有限公司", (15000, 35000), ("商务接待", "换购升级")),
    ("货车司机", "{city}{brand}运输有限公司", (9000, 16000), ("经营用车",)),
    ("行政主管", "{city}{brand}企业管理有限公司", (9000, 18000), ("家用代步", "通勤")),
)
BRANDS = (
    "华信", "东方", "新锐", "汇通", "恒泰", "明德", "金桥", "长江", "宏达", "鼎盛", "申达", "京华", "博远", "正和",
)  # fmt: skip

# (business, GB/T 4754 division, business scope)
BUSINESSES = (
    ("汽车贸易", 52, "汽车新车销售；二手车经销；汽车零配件零售；汽车装饰用品销售。"),
    ("二手车经纪", 52, "二手车经纪；二手车鉴定评估；汽车租赁；机动车修理和维护。"),
    ("汽车配件", 51, "汽车零配件批发；机械设备销售；五金产品批发；进出口代理。"),
    ("机电设备", 51, "机械设备批发；电气设备销售；仪器仪表销售；技术服务。"),
    ("物流", 54, "道路货物运输（不含危险货物）；国内货物运输代理；普通货物仓储服务。"),
    ("客运服务", 54, "网络预约出租汽车经营服务；城市配送运输服务；小微型客车租赁经营服务。"),
    ("汽车零部件", 36, "汽车零部件及配件制造；汽车零部件研发；模具制造；金属制品销售。"),
    ("企业管理咨询", 72, "企业管理咨询；市场营销策划；会议及展览服务；商务信息咨询。"),
)
CAPITAL_AMOUNTS = ("1000000.00", "2000000.00", "5000000.00", "10000000.00", "30000000.00", "50000000.00")

# Where referred customers come from (ACQ-1, ACQ-2): partners and offline events per city, campaigns nationwide.
PARTNERS = {
    "上海市": (
        ("上海申达二手车交易市场", PartnerKind.USED_CAR_MARKET, "上海市闵行区七莘路 1888 号"),
        ("上海汇通汽车销售服务有限公司", PartnerKind.DEALER, "上海市浦东新区川沙路 2100 号"),
        ("上海恒泰汽车维修服务有限公司", PartnerKind.REPAIR_SHOP, "上海市普陀区真北路 960 号"),
    ),
    "北京市": (
        ("北京京华旧机动车交易市场", PartnerKind.USED_CAR_MARKET, "北京市丰台区南三环西路 168 号"),
        ("北京博远汽车销售有限公司", PartnerKind.DEALER, "北京市朝阳区安立路 88 号"),
    ),
}
CAMPAIGNS = (
    ("官网春季购车节", CampaignSource.OFFICIAL_SITE),
    ("短视频平台二手车专题", CampaignSource.SOCIAL_MEDIA),
    ("汽车金融网站低首付专案", CampaignSource.AUTO_FINANCE_SITE),
)
EVENTS = {
    "上海市": (("上海二手车博览会", MarketingEventKind.AUTO_SHOW, "上海市嘉定区博园路"),),
    "北京市": (("北京周末二手车团购会", MarketingEventKind.PROMOTION, "北京市朝阳区建国路"),),
}

CHANNELS = (Channel.OWN_SALES, Channel.PARTNER, Channel.ONLINE, Channel.OFFLINE)
CHANNEL_WEIGHTS = (45, 30, 15, 10)
ATTRIBUTION_FIELD = {Channel.PARTNER: "partner", Channel.ONLINE: "campaign", Channel.OFFLINE: "event"}
GRADES = (Grade.A, Grade.B, Grade.C, Grade.D)
GRADE_WEIGHTS = (20, 50, 20, 10)  # B, standard, is the usual grade (CLASS-4)
# A new customer starts at B; the head-office risk officer of accounts/demo.py sets the other starting grades.
GRADER = "risk"
# The agreed purpose of the bureau queries (征信业管理条例 Art. 18).
AUTHORIZATION_PURPOSES = {
    CustomerKind.INDIVIDUAL: "个人汽车消费贷款审批及贷后管理",
    CustomerKind.COMPANY: "企业授信审批及贷后管理",
}


class _Book:
    """The random draws of one seeding, keeping identifiers unique (a clash would be refused as ACQ-2)."""

    def __init__(self, today: dt.date) -> None:
        # Demo data, not secrets: a seeded, reproducible generator is what we want here.
        self.rng = random.Random(SEED)  # noqa: S311
        self.today = today
        self.used: set[str] = set()

    def _unique(self, draw: Any) -> str:
        while (value := draw()) in self.used:
            pass
        self.used.add(value)
        return value

    def person(self, region: str) -> tuple[str, str]:
        """A name and a matching resident ID number (the sequence digit says the sex)."""
        male = self.rng.random() < 0.55
        number = self._unique(lambda: resident_id(self.rng, region=region, male=male))
        return self.rng.choice(SURNAMES) + self.rng.choice(GIVEN_NAMES["M" if male else "F"]), number

    def mobile(self) -> str:
        return self._unique(lambda: mobile(self.rng))

    def address(self, city: str, region: str, *, home: bool) -> str:
        district, streets = DISTRICTS[city][region]
        address = f"{city}{district}{self.rng.choice(streets)} {self.rng.randint(1, 999)} 号"
        if home:
            address += f" {self.rng.randint(1, 30)} 号楼 {self.rng.randint(1, 28)}{self.rng.randint(1, 4):02d} 室"
        return address

    def yuan(self, low: int, high: int, step: int) -> str:
        return f"{self.rng.randrange(low, high + 1, step)}.00"

    def individual(self, city: str) -> dict[str, Any]:
        rng = self.rng
        region = rng.choice(list(DISTRICTS[city]))
        name, number = self.person(region)
        occupation, employer, (low, high), purposes = rng.choice(OCCUPATIONS)
        marital_status = rng.choices(list(MaritalStatus), weights=(35, 55, 8, 2))[0]
        return {
            "name": name,
            "id_number": number,
            "mobile": self.mobile(),
            "address": self.address(city, region, home=True),
            "occupation": occupation,
            "employer": employer.format(city=city.removesuffix("市"), brand=rng.choice(BRANDS)),
            "employment_years": rng.randint(1, 15),
            "monthly_income_amount": self.yuan(low, high, 500),
            "marital_status": marital_status,
            "housing": rng.choice(list(Housing)),
            "dependants": rng.randint(0, 3) if marital_status != MaritalStatus.SINGLE else 0,
            "existing_debt_amount": self.yuan(0, 300000, 5000) if rng.random() < 0.4 else None,
            "savings_band": rng.choice(list(SavingsBand)),
            "purchase_purpose": rng.choice(purposes),
            "budget_amount": self.yuan(50000, 300000, 5000),
        }

    def company(self, city: str) -> dict[str, Any]:
        rng = self.rng
        region = rng.choice(list(DISTRICTS[city]))
        business, division, scope = rng.choice(BUSINESSES)
        representative, representative_id = self.person(region)
        return {
            "name": f"{city.removesuffix('市')}{rng.choice(BRANDS)}{business}有限公司",
            "credit_code": self._unique(lambda: credit_code(rng, region=region)),
            "mobile": self.mobile(),
            "address": self.address(city, region, home=False),
            "legal_representative": representative,
            "legal_representative_id_number": representative_id,
            "registered_capital_amount": rng.choice(CAPITAL_AMOUNTS),
            "established_on": self.today - dt.timedelta(days=rng.randint(2 * 365, 25 * 365)),
            "industry_division": division,
            "employees": rng.randint(8, 600),
            "business_scope": scope,
        }


def _one_year_after(signed_on: dt.date) -> dt.date:
    try:
        return signed_on.replace(year=signed_on.year + 1)
    except ValueError:  # signed on 29 February
        return signed_on.replace(year=signed_on.year + 1, day=28)


def _sources(owners: list[User], today: dt.date) -> dict[str, dict[str, list[Any]]]:
    """The partners, campaigns and offline events customers are attributed to, by channel and city."""
    sources: dict[str, dict[str, list[Any]]] = {}
    for owner in owners:
        city = OWNERS[owner.username]
        partners = [
            partner_save(
                actor=owner,
                name=name,
                kind=kind,
                address=address,
                agreement_status=AgreementStatus.SIGNED,
                agreement_signed_on=today - dt.timedelta(days=400),
                agreement_expires_on=today + dt.timedelta(days=330),
            )
            for name, kind, address in PARTNERS[city]
        ]
        # Campaigns and events are reference data kept in the admin; there is no service to go through.
        events = [
            MarketingEvent.objects.create(
                name=name, kind=kind, location=location, held_on=today - dt.timedelta(days=60)
            )
            for name, kind, location in EVENTS[city]
        ]
        sources[city] = {Channel.PARTNER: partners, Channel.OFFLINE: events}
    campaigns = [
        Campaign.objects.create(name=name, source=source, started_on=today - dt.timedelta(days=180))
        for name, source in CAMPAIGNS
    ]
    for by_channel in sources.values():
        by_channel[Channel.ONLINE] = campaigns
    return sources


def seed(*, stdout: Any) -> None:
    if Customer.objects.exists():
        stdout.write("Customers exist already; demo customers not seeded.")
        return
    today = business_date()
    book = _Book(today)
    rng = book.rng
    owners = [User.objects.get(username=username) for username in OWNERS]
    grader = User.objects.get(username=GRADER)
    sources = _sources(owners, today)
    plan = [CustomerKind.INDIVIDUAL] * INDIVIDUALS + [CustomerKind.COMPANY] * COMPANIES
    rng.shuffle(plan)
    authorized = 0
    for number, kind in enumerate(plan, start=1):
        owner = rng.choices(owners, weights=OWNER_WEIGHTS)[0]
        city = OWNERS[owner.username]
        values = book.individual(city) if kind == CustomerKind.INDIVIDUAL else book.company(city)
        channel = rng.choices(CHANNELS, weights=CHANNEL_WEIGHTS)[0]
        if channel in ATTRIBUTION_FIELD:
            values[ATTRIBUTION_FIELD[channel]] = rng.choice(sources[city][channel])
        customer = customer_create(actor=owner, kind=kind, owner=owner, channel=channel, **values)
        grade = rng.choices(GRADES, weights=GRADE_WEIGHTS)[0]
        if grade != customer.grade:
            grade_set(actor=grader, customer=customer, grade=grade, reason="开户初评（演示数据）")
        if rng.random() < AUTHORIZED_SHARE:
            signed_on = today - dt.timedelta(days=rng.randint(0, 364))
            authorization_record(
                actor=owner,
                customer=customer,
                signed_on=signed_on,
                expires_on=_one_year_after(signed_on),
                purpose=AUTHORIZATION_PURPOSES[kind],
                document_reference=f"SQ-{signed_on.year}-{number:05d}",
            )
            authorized += 1
        if kind == CustomerKind.COMPANY:
            _statements(owner, customer, today, rng)
        elif number % 6 == 0:
            _document(owner, customer, number)
    leads = _leads(book, owners, sources, today)
    stdout.write(
        f"Demo customers: {INDIVIDUALS} individuals and {COMPANIES} companies owned by "
        f"{' and '.join(OWNERS)}, {authorized} with a credit-report authorization, {leads} leads "
        f"(business date {today})."
    )


def _statements(owner: User, customer: Customer, today: dt.date, rng: random.Random) -> None:
    """Two years of statements, the later one grown or shrunk a little, so ratios and their trend show."""
    assets = rng.randrange(5_000_000, 200_000_000, 100_000)
    for offset, growth in ((2, 1.0), (1, rng.uniform(0.85, 1.25))):
        year = today.year - offset
        total = int(assets * growth)
        revenue = int(total * rng.uniform(0.6, 2.5))
        liabilities = int(total * rng.uniform(0.25, 0.75))
        current_assets = int(total * rng.uniform(0.3, 0.6))
        statement_record(
            actor=owner,
            customer=customer,
            period=str(year),
            period_end_on=dt.date(year, 12, 31),
            audited=offset == 2,
            current_assets_amount=f"{current_assets}.00",
            inventories_amount=f"{int(current_assets * rng.uniform(0.1, 0.4))}.00",
            total_assets_amount=f"{total}.00",
            current_liabilities_amount=f"{int(liabilities * rng.uniform(0.4, 0.8))}.00",
            total_liabilities_amount=f"{liabilities}.00",
            equity_amount=f"{total - liabilities}.00",
            revenue_amount=f"{revenue}.00",
            net_profit_amount=f"{int(revenue * rng.uniform(-0.02, 0.09))}.00",
            operating_cash_flow_amount=f"{int(revenue * rng.uniform(-0.03, 0.12))}.00",
        )
    if rng.random() < 0.2:
        major_event_record(
            actor=owner,
            customer=customer,
            event_type="legal_representative_change",
            occurred_on=today - dt.timedelta(days=rng.randint(10, 200)),
            description="法定代表人变更（演示数据）",
            impact="neutral",
            impact_assessment="经营团队稳定，影响有限。",
        )


def _document(owner: User, customer: Customer, number: int) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    # A one-page placeholder: demo documents must never look like a real person's ID card.
    pdf = b"%PDF-1.4\n% creditdesk demo document\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
    document_upload(
        actor=owner,
        customer=customer,
        doc_type="income_proof",
        upload=SimpleUploadedFile(f"收入证明-{number}.pdf", pdf, content_type="application/pdf"),
    )


LEADS = 300


def _leads(book: Any, owners: list[User], sources: dict[str, dict[str, list[Any]]], today: dt.date) -> int:
    """About 300 leads at every stage: new, contacted, qualified, lost with a reason, and some converted."""
    rng = book.rng
    reasons = ("已在其他机构办理", "预算不足", "暂不购车", "联系不上")
    for _ in range(LEADS):
        owner = rng.choices(owners, weights=OWNER_WEIGHTS)[0]
        city = OWNERS[owner.username]
        channel = rng.choices(CHANNELS, weights=CHANNEL_WEIGHTS)[0]
        extra: dict[str, Any] = {}
        if channel in ATTRIBUTION_FIELD:
            extra[ATTRIBUTION_FIELD[channel]] = rng.choice(sources[city][channel])
        region = rng.choice(list(DISTRICTS[city]))
        name, id_number = book.person(region)
        lead = lead_create(actor=owner, name=name, channel=channel, mobile=book.mobile(), **extra)
        stage = rng.random()
        if stage < 0.25:
            continue
        lead = lead_advance(actor=owner, lead=lead, to="contacted")
        if stage < 0.5:
            continue
        if stage < 0.65:
            lead_advance(actor=owner, lead=lead, to="lost", reason=rng.choice(reasons))
            continue
        lead = lead_advance(actor=owner, lead=lead, to="qualified")
        if stage < 0.85:
            continue
        lead_convert(actor=owner, lead=lead, id_number=id_number, address=book.address(city, region, home=True))
    return LEADS
