"""A deterministic synthetic content/ folder, for build and search benchmarks.

    PYTHONPATH=hooks:tests python -m benchmarks.corpus TARGET N [--seed S]

writes `TARGET/catalogue.yml` and N items (about 92 % news under
`news/<year>/`, 8 % annual reviews under `reviews/<year>/`, about 2 % drafts)
dated 2016-01-01 … 2026-05-31, every front-matter key valid per
hooks/portal/model.py. Bodies (about 1,000 characters in 3–6 `##` sections)
are composed here from our own sentence templates and a united-front
vocabulary, so that search benchmarks find realistic words at realistic,
different frequencies. Each annual review states every metric's label, number
and unit in one sentence, as hooks/portal/rules/figures.py requires.

With `--pictures SHARE` (default 0: none, so the build figures of the README stay
comparable), that share of the items shows a photo of its own after the first
paragraph: a JPEG next to the item (`item-000123.jpg`, 2000×1500 unless
`--picture-size WxH`), made from the seed alone, with alternative text.

Same N and seed, same bytes: only `random.Random(seed)` decides, never the
clock, hash order or the file system. TARGET must be empty or absent, so the
generator can never overwrite editors' content.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import random
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

FIRST_DAY = dt.date(2016, 1, 1)
LAST_DAY = dt.date(2026, 5, 31)
REVIEW_SHARE = 0.08
DRAFT_SHARE = 0.02
SUMMARY_SHARE = 0.7  # the rest take their summary from the first paragraph

# ---------------------------------------------------------------- catalogue

COLUMNS = (  # name, slug, description
    ("工作动态", "gongzuo-dongtai", "各单位日常工作的新闻报道。"),
    ("经验交流", "jingyan-jiaoliu", "基层组织建设和履职工作的经验材料。"),
    ("理论学习", "lilun-xuexi", "理论学习、专题培训和主题教育。"),
    ("履职风采", "lvzhi-fengcai", "委员、会员和党外人士的履职故事。"),
    ("社会服务", "shehui-fuwu", "义诊、助学、助农等社会服务活动。"),
    ("2023·我们这样走过", "2023-women-zheyang-zouguo", "各单位 2023 年度工作回顾专栏。"),
    ("2024·我们这样走过", "2024-women-zheyang-zouguo", "各单位 2024 年度工作回顾专栏。"),
    ("2025·我们这样走过", "2025-women-zheyang-zouguo", "各单位 2025 年度工作回顾专栏。"),
)
YEAR_COLUMN = re.compile(r"^(\d{4})·")
NEWS_COLUMNS = (("工作动态", 50), ("经验交流", 15), ("理论学习", 10), ("履职风采", 15), ("社会服务", 10))
REVIEW_FALLBACK_COLUMN = "经验交流"  # for reviewed years without a year column

ORGANISATIONS = (  # name, slug, description
    ("市委统战部", "shiwei-tongzhanbu", "市委统一战线工作部。"),
    ("市政协", "shi-zhengxie", "市政协及其专门委员会。"),
    ("市知联会", "shi-zhilianhui", "市党外知识分子联谊会。"),
    ("县委统战部", "xianwei-tongzhanbu", "县委统一战线工作部。"),
    ("县政协", "xian-zhengxie", "县政协及其界别党支部。"),
    ("县知联会", "xian-zhilianhui", "县党外知识分子联谊会。"),
    ("市新联会", "shi-xinlianhui", "市新的社会阶层人士联谊会。"),
    ("市工商联", "shi-gongshanglian", "市工商业联合会（总商会）。"),
    ("民盟市委会", "minmeng-shiweihui", "中国民主同盟市委员会。"),
    ("九三学社市委会", "jiusan-shiweihui", "九三学社市委员会。"),
    ("市欧美同学会", "shi-oumei-tongxuehui", "市欧美同学会（留学人员联谊会）。"),
    ("街道统战工作站", "jiedao-tongzhan-gongzuozhan", "街道统战工作站与同心服务站。"),
)

# ---------------------------------------------------------------- vocabulary

# The words search benchmarks look for, with the share of items that take each
# as a theme (they also occur in other words' sentences, so real shares are higher).
DOMAIN_WORDS = {
    "统一战线": 0.40,
    "同心": 0.34,
    "政协委员": 0.30,
    "参政议政": 0.28,
    "社情民意": 0.25,
    "乡村振兴": 0.22,
    "民主监督": 0.19,
    "知联会": 0.16,
    "协商议政": 0.14,
    "党外知识分子": 0.12,
    "提案办理": 0.10,
    "界别党支部": 0.08,
    "新就业群体": 0.07,
    "委员之家": 0.06,
}
TAGS = (*DOMAIN_WORDS, "党建引领", "社会服务", "理论学习", "基层治理")

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘蒋蔡余杜叶"
    "程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦傅方邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾"
    "毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "思一晨辰明华建国志强丽娟静敏燕红伟芳军磊洋勇艳杰涛超秀英霞平刚桂兰玉梅斌波宁"
    "浩鹏宇飞凯欣怡佳琳雪婷颖悦诗雨晓文博嘉俊昊然子轩涵睿泽瑞铭"
)
PLACE_HEADS = (
    "东湖",
    "西塘",
    "南山",
    "北关",
    "青石",
    "梅园",
    "柳桥",
    "沙河",
    "云溪",
    "桂花",
    "石门",
    "长乐",
    "丰收",
    "杏林",
    "双桥",
    "龙潭",
    "清水",
    "白鹭",
    "凤凰",
    "松岭",
    "金沙",
    "银杏",
    "临江",
    "红星",
)
PLACE_TAILS = ("镇", "街道", "村", "社区")
TOPICS = (
    "城乡融合发展",
    "基层医疗服务",
    "老旧小区改造",
    "农村集体经济",
    "中小企业融资",
    "义务教育均衡",
    "养老服务体系建设",
    "生态环境保护",
    "营商环境优化",
    "数字乡村建设",
    "历史文化保护",
    "职业技能培训",
    "农产品品牌建设",
    "社区治理",
    "校园周边安全",
    "文旅融合",
    "河道综合治理",
    "人才引育",
    "民营经济高质量发展",
    "公共文化服务",
    "食品安全监管",
    "托育服务供给",
    "垃圾分类",
    "平安建设",
)
FIELDS = ("教育", "医卫", "科技", "法律", "经济", "文化", "农业", "工商", "规划", "金融")
GROUPS = ("会员", "委员", "理事", "党外人士", "骨干会员", "党外代表人士", "青年会员")
MEETINGS = ("理事会议", "工作会议", "专题协商会", "座谈会", "学习会", "务虚会", "常委会议", "工作推进会")
BRANDS = ("圆梦", "助农", "健康行", "护航", "课堂", "惠民", "光明行", "送法")
SITES = ("党群服务中心", "文化礼堂", "产业园区", "现代农业示范基地", "便民服务站", "同心实践基地", "非公企业")
EVENTS = ("主题学习活动", "专题调研", "送服务下基层活动", "专题培训", "联谊交流活动", "主题党日活动", "座谈交流会")
LEADS = ("坚持", "聚焦", "围绕", "立足")
ACTIVITIES = (
    "重温入党誓词、交流学习体会",
    "走进红色教育基地接受党性教育",
    "开展结对帮扶和志愿服务",
    "集中学习党章党规",
    "聆听专题党课并开展讨论",
)

# Phrases with a number and a unit; approx ones are written with 余.
QUANTITIES = (  # phrase, unit, low, high, approx share, one decimal
    ("开展义诊", "场", 2, 15, 0.0, False),
    ("收集意见建议", "条", 20, 300, 0.6, False),
    ("走访企业", "家", 5, 60, 0.2, False),
    ("慰问困难群众", "户", 10, 120, 0.3, False),
    ("发放宣传资料", "份", 100, 3000, 0.7, False),
    ("举办专题讲座", "场", 2, 20, 0.0, False),
    ("服务群众", "人次", 100, 2000, 0.6, False),
    ("提交提案", "件", 3, 40, 0.0, False),
    ("报送信息稿件", "篇", 5, 80, 0.2, False),
    ("捐赠物资折合", "万元", 1, 50, 0.0, True),
    ("组织专题调研", "次", 2, 12, 0.0, False),
    ("种植苗木", "株", 100, 2000, 0.6, False),
    ("培训骨干", "人次", 30, 400, 0.4, False),
    ("解决实际问题", "个", 5, 60, 0.3, False),
    ("资助学生", "名", 5, 80, 0.0, False),
    ("开展志愿服务", "次", 5, 60, 0.3, False),
    ("编发工作简报", "期", 4, 24, 0.0, False),
    ("形成调研报告", "份", 2, 15, 0.0, False),
    ("结对帮扶", "户", 5, 50, 0.0, False),
    ("惠及群众", "人", 50, 3000, 0.6, False),
)

# Sentences that carry each domain word (the word is written out in each).
WORD_SENTENCES = {
    "统一战线": (
        "{org}坚持把统一战线工作放在全局中谋划，引导{group}在{topic}中凝聚共识、汇聚力量。",
        "会议指出，统一战线是凝聚人心、汇聚力量的重要法宝，要在{topic}上找准切入点、发挥好作用。",
        "{year}年以来，{org}着力构建大统战工作格局，推动统一战线各领域工作协同发力。",
        "大家表示，将继续发挥统一战线人才荟萃、智力密集的优势，为{topic}贡献智慧和力量。",
    ),
    "同心": (
        "{org}持续擦亮“同心{brand}”服务品牌，{q}，{q2}。",
        "在{place}举行的“同心{brand}”活动中，{field}界{group}{q}，受到群众欢迎。",
        "{group}们表示，要与党同心同德、同向同行，把专业优势转化为服务发展的实际成效。",
        "依托同心实践基地，{org}组织{group}走进{place}，{q}。",
    ),
    "政协委员": (
        "{field}界政协委员{person}结合本职工作，就{topic}提出了具体建议。",
        "{org}组织政协委员深入{place}开展视察，{q}。",
        "政协委员们围绕{topic}展开讨论，既讲成绩也谈短板，提出了不少务实管用的办法。",
        "活动中，政协委员与{place}群众面对面交流，现场解答{topic}方面的问题。",
    ),
    "参政议政": (
        "在参政议政方面，{org}聚焦{topic}开展专题调研，{q}。",
        "为提升参政议政能力，{org}举办{field}领域专题培训，{q}。",
        "参政议政成果转化持续加强，{person}领衔撰写的关于{topic}的建议被有关部门吸收采纳。",
    ),
    "社情民意": (
        "{org}完善社情民意信息征集、编报和反馈流程，{q}。",
        "社情民意工作坚持小切口、大民生，{group}围绕{topic}反映的问题得到相关部门回应。",
        "{person}撰写的关于{topic}的社情民意信息被上级采用，为有关决策提供了参考。",
    ),
    "乡村振兴": (
        "助力乡村振兴，{org}与{place}结对共建，{q}。",
        "在乡村振兴一线，{field}界{group}把{topic}作为切入点，帮助村里理清发展思路。",
        "围绕乡村振兴，{group}深入田间地头了解农户需求，{q}。",
    ),
    "民主监督": (
        "民主监督小组按照年度计划，通过列席会议、实地查看和走访群众等方式，对{topic}开展专项监督。",
        "{org}提交的民主监督意见书聚焦{topic}，提出的{n}条建议均得到书面答复。",
        "{group}表示，民主监督要敢于讲真话、建诤言，做到帮忙不添乱、监督不缺位。",
    ),
    "知联会": (
        "知联会{field}小组自主开展学习交流，{q}。",
        "作为党外知识分子的联谊组织，知联会注重发挥“人才库”“智囊团”作用。",
        "知联会理事会议审议通过了{year}年工作要点，明确了{topic}等重点任务。",
    ),
    "协商议政": (
        "专题协商会上，{n}位{group}围绕{topic}协商议政，{q}。",
        "{org}把协商议政与调查研究结合起来，力求建言建在需要时、议政议到点子上。",
        "通过“有事好商量”平台，{group}与群众一起协商议政，推动解决了{topic}中的具体难题。",
    ),
    "党外知识分子": (
        "{org}加强与党外知识分子的联谊交友，建立了{field}领域骨干人才信息库。",
        "党外知识分子代表{person}在发言中说，要把专业所长与{topic}紧密结合起来。",
        "本次培训面向{field}领域党外知识分子，{q}。",
    ),
    "提案办理": (
        "提案办理协商会上，承办单位逐件通报了{topic}相关提案的办理进展。",
        "{org}健全提案办理跟踪督办机制，推动{n}件重点提案落地见效。",
        "委员们对提案办理情况进行评议，认为答复更加具体、落实更加有力。",
    ),
    "界别党支部": (
        "{org}依托界别党支部开展主题党日活动，组织党员委员{activity}。",
        "界别党支部书记{person}介绍了支部联系党外委员、带动界别履职的做法。",
        "各界别党支部坚持每月集中学习，把政治引领贯穿委员履职全过程。",
    ),
    "新就业群体": (
        "针对快递员、网约配送员等新就业群体，{org}在{place}设立服务驿站，{q}。",
        "{group}围绕新就业群体权益保障开展调研，听取了{n}家平台企业和一线从业者的意见。",
        "调研发现，新就业群体在社会保险、职业培训等方面仍有不少期盼。",
    ),
    "委员之家": (
        "{place}委员之家定期开放，委员轮流值班接待群众，{q}。",
        "依托委员之家，{org}搭建起委员联系群众的常态化平台。",
        "新建成的委员之家设有学习区、议事区和展示区，成为委员履职的重要阵地。",
    ),
}
GENERIC_SENTENCES = (
    "会议传达学习了上级有关会议精神，通报了近期重点工作安排。",
    "{org}主要负责同志出席并讲话，对下一阶段工作提出明确要求。",
    "大家一致认为，要在学深悟透上下功夫，在服务大局上见实效。",
    "{org}坚持问题导向，把{topic}作为年度重点课题，组织{group}分组开展调研。",
    "调研组先后走访了{place}和{place2}，与基层干部群众座谈交流。",
    "{field}界{group}发挥专业优势，{q}，{q2}。",
    "{org}注重总结提炼，形成了一批可复制、可推广的经验做法。",
    "座谈中，{person}、{person2}等{group}先后发言，从不同角度提出了意见建议。",
    "本次活动由{org}与{place}联合举办，{q}。",
    "{year}年，{org}共{q}，{q2}。",
    "大家围绕{topic}踊跃发言，既有宏观思考，也有具体对策。",
    "与会人员还实地参观了{place}的{site}，详细了解{topic}的推进情况。",
    "{org}建立了工作台账，明确责任分工和时间节点，确保各项任务落到实处。",
    "通过线上线下相结合的方式，{q}，覆盖面进一步扩大。",
    "据介绍，{place}近年来在{topic}方面做了大量探索，取得了明显成效。",
    "{group}们纷纷表示，要珍惜荣誉、牢记责任，在本职岗位上作出新的贡献。",
    "此次{meeting}议程紧凑、内容丰富，达到了统一思想、明确方向的目的。",
    "{org}还邀请{field}领域专家作专题辅导，帮助大家拓宽视野、更新知识。",
    "在{topic}方面，{group}提出要加强部门协同，打通政策落地的“最后一公里”。",
    "{org}把服务群众作为检验工作成效的重要标尺，{q}。",
    "活动结束后，{org}对收集到的意见进行梳理分类，及时转交有关部门研究办理。",
    "{month}月，{org}组织{group}赴{place}学习考察，借鉴兄弟单位的经验。",
    "{lead}{topic}，{org}{q}，{q2}。",
    "有关部门负责同志到会听取意见，并就{topic}的下一步安排作了回应。",
)
LEAD_SENTENCES = (
    "{month}月{day}日，{org}在{place}召开{meeting}，{n}名{group}参加。",
    "近日，{org}组织开展{event}，{group}代表{big}余人参加。",
    "为推进{topic}工作，{org}于{month}月{day}日举办{event}。",
    "{year}年{month}月，{org}围绕{topic}开展{event}，现将有关情况报道如下。",
    "{month}月{day}日，{org}赴{place}开展{event}，{lead}{topic}听取意见。",
)
CLOSING_SENTENCES = (
    "{org}负责人表示，将以此为新起点，推动各项工作再上新台阶。",
    "下一步，{org}将继续加强自身建设，提升服务发展、服务群众的能力和水平。",
    "{org}表示，将把这次活动中形成的意见建议梳理汇总，推动转化为工作实效。",
)
WORD_HEADINGS = {
    "统一战线": ("把牢统一战线政治方向", "汇聚统一战线智慧力量"),
    "同心": ("擦亮同心服务品牌", "同心实践见行动"),
    "政协委员": ("政协委员在行动", "发挥政协委员作用"),
    "参政议政": ("聚焦中心参政议政", "把参政议政做深做实"),
    "社情民意": ("做实社情民意信息工作", "社情民意直通车"),
    "乡村振兴": ("助力乡村振兴", "乡村振兴一线见担当"),
    "民主监督": ("深化民主监督", "民主监督助推落实"),
    "知联会": ("知联会组织建设", "发挥知联会平台作用"),
    "协商议政": ("协商议政聚共识", "搭建协商议政平台"),
    "党外知识分子": ("凝聚党外知识分子", "党外知识分子建言献策"),
    "提案办理": ("提案办理提质增效", "抓实提案办理"),
    "界别党支部": ("界别党支部建设", "发挥界别党支部作用"),
    "新就业群体": ("关心关爱新就业群体", "服务新就业群体"),
    "委员之家": ("委员之家成为履职阵地", "用好委员之家"),
}
GENERIC_HEADINGS = ("基本情况", "主要做法", "工作成效", "几点体会", "活动侧记", "群众反响", "存在的不足")
CLOSING_HEADINGS = ("下一步打算", "下一步工作")

NEWS_TITLES = {  # two or more drawn slots each, so that titles rarely repeat
    None: (
        "{org}召开{year}年度{meeting}部署{topic}工作",
        "{org}在{place}召开{topic}专题{meeting}",
        "{org}赴{place}开展{topic}{event}",
        "{field}界{group}在{place}开展{event}",
    ),
    "统一战线": ("{org}凝聚统一战线力量助推{topic}", "{place}统一战线成员共话{topic}"),
    "同心": ("“同心{brand}”走进{place}", "{org}“同心{brand}”助力{topic}"),
    "政协委员": ("{org}组织政协委员赴{place}视察{topic}工作", "{field}界政协委员走进{place}"),
    "参政议政": ("{org}围绕{topic}开展参政议政调研", "{org}举办{field}界参政议政能力提升{event}"),
    "社情民意": ("{org}就{topic}报送社情民意信息", "{org}在{place}开展社情民意{event}"),
    "乡村振兴": ("{org}助力{place}乡村振兴", "{org}赴{place}开展乡村振兴{event}"),
    "民主监督": ("{org}就{topic}开展专项民主监督", "民主监督小组赴{place}察看{topic}工作"),
    "知联会": ("知联会{field}小组走进{place}", "{org}召开知联会{meeting}研究{topic}"),
    "协商议政": ("{org}就{topic}协商议政", "{org}在{place}举行{topic}协商议政活动"),
    "党外知识分子": ("{org}举办党外知识分子{field}专题{event}", "{field}界党外知识分子走进{place}"),
    "提案办理": ("{org}召开{topic}提案办理协商会", "{org}赴{place}督办{topic}重点提案"),
    "界别党支部": ("{field}界别党支部赴{place}开展{event}", "{org}界别党支部聚焦{topic}开展主题党日活动"),
    "新就业群体": ("{org}在{place}走访慰问新就业群体", "{org}为{place}新就业群体办实事"),
    "委员之家": ("{place}委员之家开展委员接待日活动", "{org}在{place}推进委员之家建设"),
}
SUMMARIES = (
    "{org}围绕{topic}开展{event}，{q}。",
    "{year}年{month}月，{org}在{place}开展{event}，{group}就{topic}交流意见。",
    "{org}{lead}{topic}，{q}，{q2}。",
)

# Annual reviews: metrics by group, each stated in one sentence of the body.
METRICS = {  # group: (label, verb before the label or None for "…达到", unit, low, high, approx share, one decimal)
    "政治引领": (
        ("专题学习会", "召开", "次", 2, 12, 0.0, False),
        ("理论学习研讨", "开展", "场", 3, 24, 0.3, False),
        ("骨干培训", "组织", "人次", 20, 300, 0.5, False),
        ("主题教育活动", "开展", "场次", 3, 30, 0.3, False),
    ),
    "参政议政": (
        ("社情民意信息", "上报", "篇", 10, 120, 0.0, False),
        ("个人提案", "提交", "件", 5, 60, 0.0, False),
        ("集体提案", "提交", "件", 1, 6, 0.0, False),
        ("调研报告", "完成", "份", 2, 15, 0.0, False),
        ("意见建议", "提出", "条", 20, 300, 0.6, False),
        ("采用信息", "获上级", "篇", 1, 20, 0.0, False),
    ),
    "民主监督": (
        ("民主监督意见书", "提交", "份", 1, 8, 0.0, False),
        ("专项监督检查", "参加", "次", 2, 20, 0.0, False),
        ("提案办理协商", "参与", "场", 1, 10, 0.0, False),
        ("提案办结率", None, "％", 90, 100, 0.0, True),
    ),
    "社会服务": (
        ("义诊", "开展", "场", 2, 20, 0.0, False),
        ("服务群众", "", "人次", 100, 3000, 0.7, False),
        ("捐款捐物", "", "万元", 1, 80, 0.0, True),
        ("结对帮扶", "", "户", 5, 80, 0.0, False),
        ("助学金", "发放", "万元", 1, 30, 0.0, True),
        ("志愿服务", "开展", "次", 5, 80, 0.4, False),
        ("种植苗木", "", "株", 100, 3000, 0.6, False),
        ("覆盖村社", "", "个", 3, 40, 0.0, False),
    ),
    "自身建设": (
        ("新会员", "吸收", "名", 3, 30, 0.0, False),
        ("优秀会员", "表彰", "名", 5, 40, 0.0, False),
        ("委员之家", "新建", "处", 1, 8, 0.0, False),
        ("界别党支部", "组建", "个", 2, 12, 0.0, False),
        ("会员总数", None, "人", 60, 600, 0.3, False),
    ),
}
GROUP_WORDS = {
    "政治引领": ("统一战线", "同心", "党外知识分子", "界别党支部"),
    "参政议政": ("参政议政", "社情民意", "政协委员", "协商议政"),
    "民主监督": ("民主监督", "提案办理", "政协委员"),
    "社会服务": ("乡村振兴", "同心", "新就业群体"),
    "自身建设": ("知联会", "委员之家", "界别党支部", "党外知识分子"),
}
GROUP_HEADINGS = {
    "政治引领": ("筑牢共同思想基础", "强化思想政治引领"),
    "参政议政": ("围绕中心建言献策", "提升履职质效"),
    "民主监督": ("助推决策落地见效", "监督与支持并重"),
    "社会服务": ("擦亮专业服务品牌", "把服务送到群众身边"),
    "自身建设": ("激发组织内生活力", "夯实组织基础"),
}
METRIC_LEADS = ("全年", "{year}年共", "一年来，{org}", "其中，", "据统计，全年", "")
LEVEL_LEADS = ("", "年末", "据统计，", "截至年底，")  # for levels such as 会员总数、提案办结率
METRIC_TAILS = (
    "",
    "，比上年有所增加",
    "，完成年度目标任务",
    "，得到各方好评",
    "，数量和质量同步提升",
    "，工作成效持续显现",
)
METRIC_NOTES = ("统计口径为全年累计。", "含线上活动。", "数据来自年度工作台账。")
REVIEW_TITLES = (
    "{org}{year}年工作回顾",
    "{org}回顾{year}年履职成果",
    "{year}年{org}工作综述",
    "{org}：{year}年我们这样走过",
    "奋进{year}｜{org}年度工作回眸",
)
REVIEW_INTROS = (
    "{year}年，{org}在上级党委领导下，{lead}{topic}等中心工作，在{groups}等方面取得了新的进展。",
    "回望{year}年，{org}团结带领广大{group}，{lead}{topic}履职尽责，在{groups}等方面交出了一份答卷。",
)

# ---------------------------------------------------------------- writing


@dataclass
class Stats:
    items: int = 0
    news: int = 0
    reviews: int = 0
    drafts: int = 0
    pictures: int = 0
    bytes: int = 0  # written, catalogue and pictures included

    @property
    def published(self) -> int:
        """Items a build publishes (every date is on or before 2026-05-31)."""
        return self.items - self.drafts

    def __str__(self) -> str:
        return (
            f"items={self.items} news={self.news} reviews={self.reviews} drafts={self.drafts} "
            f"published={self.published} pictures={self.pictures} bytes={self.bytes}"
        )


_PLAIN = re.compile(r"^[^\x00-\x7f][^:#,\[\]{}&*!|>'\"%@`\\\x00-\x1f]*$")


def yaml_text(value: str) -> str:
    """A YAML scalar that reads back as this very string (plain when that is safe)."""
    if _PLAIN.match(value) and value == value.strip():
        return value
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _number(value: float | int) -> str:
    text = f"{value:.1f}" if isinstance(value, float) else str(value)
    return text[:-2] if text.endswith(".0") else text


class _Slots(dict):
    """Template slots, each drawn on first use (so a sentence costs only the draws it needs)."""

    def __init__(self, composer: "_Composer"):
        super().__init__()
        self.c = composer

    def __missing__(self, key: str) -> str:
        value = self.c.slot(key)
        self[key] = value
        return value


class _Composer:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.org = ""
        self.year = 2026
        self.month = 1
        self.day = 1
        self.used: set = set()  # templates and quantity phrases this item has used
        self.avoid: tuple[str, ...] = ()  # metric labels a review's other sentences must not quote

    # one slot value
    def slot(self, key: str) -> str:
        r = self.rng
        if key == "org":
            return self.org
        if key == "year":
            return str(self.year)
        if key == "month":
            return str(self.month)
        if key == "day":
            return str(self.day)
        if key in ("place", "place2"):
            return r.choice(PLACE_HEADS) + r.choice(PLACE_TAILS)
        if key in ("person", "person2"):
            return self.person()
        if key in ("topic", "topic2"):
            return r.choice(TOPICS)
        if key in ("q", "q2"):
            return self.quantity()
        if key == "n":
            return str(r.randint(3, 12))
        if key == "big":
            return str(r.randint(2, 30) * 10)
        table = {
            "field": FIELDS,
            "group": GROUPS,
            "meeting": MEETINGS,
            "brand": BRANDS,
            "site": SITES,
            "event": EVENTS,
            "lead": LEADS,
            "activity": ACTIVITIES,
        }
        return r.choice(table[key])

    def person(self) -> str:
        r = self.rng
        given = r.choice(GIVEN) + (r.choice(GIVEN) if r.random() < 0.7 else "")
        return r.choice(SURNAMES) + given

    def start(self, org: str, year: int, date: dt.date, avoid: tuple[str, ...] = ()) -> None:
        """A new item: its organisation, year and day; no template used yet."""
        self.org, self.year, self.month, self.day = org, year, date.month, date.day
        self.used, self.avoid = set(), avoid

    def pick(self, pool):
        """One of `pool`, preferring what this item has not used yet."""
        fresh = [entry for entry in pool if entry not in self.used]
        entry = self.rng.choice(fresh or pool)
        self.used.add(entry)
        return entry

    def quantity(self) -> str:
        pool = [q for q in QUANTITIES if not any(label in q[0] for label in self.avoid)] if self.avoid else QUANTITIES
        phrase, unit, low, high, approx, decimal = self.pick(pool)
        value = self._value(low, high, decimal)
        if self.rng.random() < approx:
            value = max(10, value // 10 * 10)
            return f"{phrase}{value}余{unit}"
        return f"{phrase}{_number(value)}{unit}"

    def _value(self, low: int, high: int, decimal: bool):
        if decimal:
            return self.rng.randint(low * 10, high * 10) / 10
        return self.rng.randint(low, high)

    def fill(self, template: str) -> str:
        return template.format_map(_Slots(self))

    # pieces of an item
    def sentence(self, word: str | None) -> str:
        pool = WORD_SENTENCES[word] if word else GENERIC_SENTENCES
        if word and all(t in self.used for t in pool):
            pool = GENERIC_SENTENCES  # the word's sentences are spent: no verbatim repeats
        return self.fill(self.pick(pool))

    def heading(self, word: str | None, used: set[str]) -> str:
        pool = WORD_HEADINGS[word] if word else GENERIC_HEADINGS
        options = [h for h in pool if h not in used] or [h for h in GENERIC_HEADINGS if h not in used]
        heading = self.rng.choice(options) if options else f"{self.rng.choice(GENERIC_HEADINGS)}（{len(used) + 1}）"
        used.add(heading)
        return heading

    def section_text(self, words: list[str], theme: str | None, budget: int, first: str = "") -> str:
        """Paragraphs of 2–4 sentences until about `budget` characters."""
        r = self.rng
        sentences = [first] if first else []
        if theme:
            sentences.append(self.sentence(theme))
        size = sum(map(len, sentences))
        while size < budget:
            pick = r.random()
            if theme and pick < 0.3:
                text = self.sentence(theme)
            elif pick < 0.45 and words:
                text = self.sentence(r.choice(words))
            else:
                text = self.sentence(None)
            sentences.append(text)
            size += len(text)
        return self.paragraphs(sentences)

    def paragraphs(self, sentences: list[str]) -> str:
        """Sentences grouped two to four to a paragraph."""
        paragraphs, start = [], 0
        while start < len(sentences):
            step = self.rng.randint(2, 4)
            paragraphs.append("".join(sentences[start : start + step]))
            start += step
        return "\n\n".join(paragraphs)

    def themes(self) -> list[str]:
        """The domain words an item is about: each by its share, at least two."""
        r = self.rng
        chosen = [word for word, share in DOMAIN_WORDS.items() if r.random() < share]
        words = list(DOMAIN_WORDS)
        while len(chosen) < 2:
            word = r.choices(words, weights=list(DOMAIN_WORDS.values()))[0]
            if word not in chosen:
                chosen.append(word)
        r.shuffle(chosen)
        return chosen


def _front_matter(fields: list[tuple[str, str]], metrics: list[str] | None = None) -> str:
    lines = ["---"] + [f"{key}: {value}" for key, value in fields]
    if metrics is not None:
        lines.append("metrics:")
        lines += metrics
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def _tags(rng: random.Random, themes: list[str]) -> str:
    count = rng.randint(1, 3)
    tags = [t for t in themes if t in TAGS][:count]
    while len(tags) < count:
        tag = rng.choice(TAGS)
        if tag not in tags:
            tags.append(tag)
    return "[" + ", ".join(yaml_text(t) for t in tags) + "]"


def _people(c: _Composer, org: str) -> list[tuple[str, str]]:
    r = c.rng
    editor = r.choice((f"{org}办公室", "门户编辑组", c.person(), c.person()))
    return [
        ("source", yaml_text(org)),
        ("editor", yaml_text(editor)),
        ("responsible_editor", yaml_text(c.person())),
        ("signed_off_by", yaml_text(c.person())),
    ]


def _news(c: _Composer, date: dt.date, org: str, draft: bool) -> tuple[str, list[str]]:
    r = c.rng
    c.start(org, date.year, date)
    themes = c.themes()
    title = c.fill(r.choice(NEWS_TITLES[themes[0]] + NEWS_TITLES[None]))
    column = r.choices([n for n, _ in NEWS_COLUMNS], weights=[w for _, w in NEWS_COLUMNS])[0]
    fields = [
        ("title", yaml_text(title)),
        ("date", date.isoformat()),
        ("column", yaml_text(column)),
        ("organisation", yaml_text(org)),
        *_people(c, org),
        ("tags", _tags(r, themes)),
    ]
    if r.random() < SUMMARY_SHARE:
        fields.append(("summary", yaml_text(c.fill(r.choice(SUMMARIES)))))
    if draft:
        fields.append(("draft", "true"))

    total = r.randint(900, 1100)
    lead = c.fill(r.choice(LEAD_SENTENCES))
    parts = [lead + c.sentence(None)]
    sections = r.randint(3, 6)
    budget = (total - len(parts[0])) // sections
    used: set[str] = set()
    for number in range(sections):
        last = number == sections - 1
        theme = themes[number] if number < len(themes) else None
        if last and theme is None and r.random() < 0.6:
            heading = r.choice(CLOSING_HEADINGS)
            text = c.section_text(themes, None, budget - 40, c.fill(r.choice(CLOSING_SENTENCES)))
        else:
            heading, text = c.heading(theme, used), c.section_text(themes, theme, budget)
        parts.append(f"## {heading}\n\n{text}")
    return _front_matter(fields) + "\n\n".join(parts) + "\n", themes


def _metric_sentence(c: _Composer, label: str, verb: str | None, unit: str, shown: str) -> str:
    r = c.rng
    if verb is None:
        return f"{r.choice(LEVEL_LEADS)}{label}达到{shown}{unit}{r.choice(METRIC_TAILS)}。"
    lead = c.fill(r.choice(METRIC_LEADS))
    return f"{lead}{verb}{label}{shown}{unit}{r.choice(METRIC_TAILS)}。"


def _review(c: _Composer, year: int, date: dt.date, org: str, draft: bool, columns: dict[int, str]) -> str:
    r = c.rng
    groups = r.sample(list(METRICS), r.randint(3, 5))
    groups.sort(key=list(METRICS).index)
    count = r.randint(max(6, len(groups)), 12)
    # every group gets at least one metric, the rest fall anywhere
    picks = {g: [] for g in groups}
    pools = {g: r.sample(METRICS[g], len(METRICS[g])) for g in groups}
    for g in groups:
        picks[g].append(pools[g].pop())
    spare = [(g, m) for g in groups for m in pools[g]]
    r.shuffle(spare)
    for g, m in spare[: count - len(groups)]:
        picks[g].append(m)
    metrics = [(g, m) for g in groups for m in picks[g]]
    c.start(org, year, date, tuple(m[0] for _, m in metrics))
    headlines = set(r.sample(range(len(metrics)), r.randint(0, 4)))

    metric_lines, sentences = [], {g: [] for g in groups}
    for index, (group, (label, verb, unit, low, high, approx_share, decimal)) in enumerate(metrics):
        value = c._value(low, high, decimal)
        approx = r.random() < approx_share
        if approx:
            value = max(10, value // 10 * 10)
        shown = _number(value) + ("余" if approx else "")
        sentences[group].append(_metric_sentence(c, label, verb, unit, shown))
        entry = [
            f"label: {yaml_text(label)}",
            f"value: {_number(value)}",
            f"unit: {yaml_text(unit)}",
            f"group: {yaml_text(group)}",
        ]
        if approx:
            entry.append("approx: true")
        if index in headlines:
            entry.append("headline: true")
        if r.random() < 0.05:
            entry.append(f"note: {yaml_text(r.choice(METRIC_NOTES))}")
        metric_lines.append("  - {" + ", ".join(entry) + "}")

    themes = [w for g in groups for w in GROUP_WORDS[g]]
    title = c.fill(r.choice(REVIEW_TITLES))
    column = columns.get(year, REVIEW_FALLBACK_COLUMN)
    fields = [
        ("title", yaml_text(title)),
        ("date", date.isoformat()),
        ("column", yaml_text(column)),
        ("organisation", yaml_text(org)),
        *_people(c, org),
        ("tags", _tags(r, r.sample(themes, len(themes)))),
    ]
    if r.random() < SUMMARY_SHARE:
        fields.append(
            (
                "summary",
                yaml_text(
                    f"{year}年，{org}在{'、'.join(groups)}等方面扎实推进各项工作。"
                    + sentences[groups[0]][0].removeprefix("其中，")
                ),
            )
        )
    if draft:
        fields.append(("draft", "true"))
    fields.append(("year", str(year)))

    total = r.randint(900, 1100)
    parts = [c.fill(r.choice(REVIEW_INTROS).replace("{groups}", "、".join(groups)))]
    closing = len(groups) < 6 and r.random() < 0.5
    budget = (total - len(parts[0])) // (len(groups) + closing)
    for group in groups:
        words = list(GROUP_WORDS[group])
        body = [c.sentence(r.choice(words))]
        for text in sentences[group]:
            body.append(text)
            if r.random() < 0.4:
                body.append(c.sentence(r.choice(words)))
        size = sum(map(len, body))
        while size < budget:
            text = c.sentence(r.choice(words) if r.random() < 0.5 else None)
            body.append(text)
            size += len(text)
        parts.append(f"## {group}：{r.choice(GROUP_HEADINGS[group])}\n\n" + c.paragraphs(body))
    if closing:
        parts.append(
            f"## {r.choice(CLOSING_HEADINGS)}\n\n"
            + c.section_text(themes, None, budget - 40, c.fill(r.choice(CLOSING_SENTENCES)))
        )
    return _front_matter(fields, metric_lines) + "\n\n".join(parts) + "\n"


def _catalogue() -> str:
    lines = ["# 合成测试内容（tests/benchmarks/corpus.py 生成），仅用于构建和搜索基准测试。", "columns:"]
    for name, slug, description in COLUMNS:
        lines += [f"  - name: {yaml_text(name)}", f"    slug: {slug}", f"    description: {yaml_text(description)}"]
    lines += ["", "organisations:"]
    for name, slug, description in ORGANISATIONS:
        lines += [f"  - name: {yaml_text(name)}", f"    slug: {slug}", f"    description: {yaml_text(description)}"]
    return "\n".join(lines) + "\n"


PICTURE_SIZE = (2000, 1500)  # the long side editors are asked to keep (portal_images.FIX_SIZE)
PICTURE_ALTS = ("活动现场", "座谈交流现场", "调研走访现场", "志愿服务现场", "会议现场", "学习交流现场")


def picture(seed: str, size: tuple[int, int] = PICTURE_SIZE) -> bytes:
    """A JPEG photo stand-in from `seed` alone: coarse random colour blocks, smoothly enlarged
    (photo-like detail, so decoding costs what a photo's does), over a rotated gradient."""
    from PIL import Image

    rng = random.Random(seed)
    width, height = size
    coarse = (max(1, width // 8), max(1, height // 8))
    detail = Image.frombytes("RGB", coarse, rng.randbytes(coarse[0] * coarse[1] * 3)).resize(
        size, Image.Resampling.BICUBIC
    )
    light = Image.linear_gradient("L").rotate(rng.randrange(360)).resize(size).convert("RGB")
    buffer = io.BytesIO()
    Image.blend(detail, light, 0.5).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def _with_picture(text: str, name: str, alt: str) -> str:
    """The item's text with its picture after the first paragraph of the body."""
    at = text.index("\n\n## ")
    return text[:at] + f"\n\n![{alt}]({name})" + text[at:]


def generate(
    target: Path, n: int, seed: int = 1, pictures: float = 0.0, picture_size: tuple[int, int] = PICTURE_SIZE
) -> Stats:
    """Write catalogue.yml and `n` items into `target`, which must be empty or absent; a share
    `pictures` of them (chosen apart from everything else: without pictures the bytes are
    those of earlier versions) with a photo of their own."""
    target = Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise FileExistsError(f"{target} is not an empty folder: the corpus generator never writes over existing files")
    if n < 0:
        raise ValueError("n must be 0 or more")
    if not 0 <= pictures <= 1:
        raise ValueError("pictures is a share between 0 and 1")
    rng = random.Random(seed)
    composer = _Composer(rng)
    stats = Stats(items=n)
    target.mkdir(parents=True, exist_ok=True)
    catalogue = _catalogue().encode("utf-8")
    (target / "catalogue.yml").write_bytes(catalogue)
    stats.bytes += len(catalogue)

    columns = {int(m.group(1)): name for name, _, _ in COLUMNS if (m := YEAR_COLUMN.match(name))}
    organisations = [name for name, _, _ in ORGANISATIONS]
    pictured = set(random.Random(f"pictures-{seed}").sample(range(n), round(n * pictures)))
    reviews = set(rng.sample(range(n), round(n * REVIEW_SHARE)))
    drafts = set(rng.sample(range(n), round(n * DRAFT_SHARE)))
    # Reviews go through every (organisation, year) pair before repeating one.
    pairs = [(org, year) for year in range(FIRST_DAY.year - 1, LAST_DAY.year) for org in organisations]
    rng.shuffle(pairs)
    span = (LAST_DAY - FIRST_DAY).days
    made: set[Path] = set()
    review_count = 0
    for index in range(n):
        draft = index in drafts
        if index in reviews:
            org, year = pairs[review_count % len(pairs)]
            review_count += 1
            # published in the first quarter of the next year
            date = dt.date(year + 1, 1, 1) + dt.timedelta(days=rng.randint(4, 85))
            text = _review(composer, year, date, org, draft, columns)
            folder = target / "reviews" / str(year)
            stats.reviews += 1
        else:
            date = FIRST_DAY + dt.timedelta(days=rng.randint(0, span))
            text, _ = _news(composer, date, rng.choice(organisations), draft)
            folder = target / "news" / str(date.year)
            stats.news += 1
        stats.drafts += draft
        if folder not in made:
            folder.mkdir(parents=True, exist_ok=True)
            made.add(folder)
        if index in pictured:
            name = f"item-{index + 1:06d}.jpg"
            photo = picture(f"{seed}-{index}", picture_size)
            (folder / name).write_bytes(photo)
            text = _with_picture(text, name, PICTURE_ALTS[index % len(PICTURE_ALTS)])
            stats.pictures += 1
            stats.bytes += len(photo)
        data = text.encode("utf-8")
        (folder / f"item-{index + 1:06d}.md").write_bytes(data)
        stats.bytes += len(data)
    return stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a deterministic synthetic content/ folder for benchmarks.")
    parser.add_argument("target", type=Path, help="an empty or absent folder")
    parser.add_argument("n", type=int, help="number of items")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pictures", type=float, default=0.0, help="share of items with a photo (0 … 1)")
    parser.add_argument("--picture-size", default="x".join(map(str, PICTURE_SIZE)), help="WxH of each photo")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        size = tuple(int(v) for v in args.picture_size.lower().split("x"))
        stats = generate(args.target, args.n, args.seed, args.pictures, size)
    except (FileExistsError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"{stats} seconds={time.perf_counter() - started:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
