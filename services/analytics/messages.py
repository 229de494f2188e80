"""Message texts of the analytics errors, in Chinese and English."""

from services.core.i18n import register_messages

MESSAGES = {
    "analytics.source_not_found": {
        "zh": "数据源“{name}”不存在；已有的数据源：{known}。请先用 POST /api/v1/analytics/sources 注册。",
        "en": "Data source '{name}' was not found; known sources: {known}. Register it with POST /api/v1/analytics/sources.",
    },
    "analytics.source_exists": {
        "zh": "数据源“{name}”已存在；请换一个名称，或先删除原有数据源。",
        "en": "Data source '{name}' already exists; choose another name or delete the existing source first.",
    },
    "analytics.source_protected": {
        "zh": "数据源“{name}”来自设置项 {setting}，不能通过接口修改或删除；请修改设置。",
        "en": "Data source '{name}' comes from setting {setting} and cannot be changed over the API; edit the setting.",
    },
    "analytics.source_url_invalid": {
        "zh": "数据源地址“{url}”无效：{reason}。示例：sqlite:///data/sales.db、postgresql+psycopg://user@host/db。",
        "en": "Invalid data source URL '{url}': {reason}. Examples: sqlite:///data/sales.db, postgresql+psycopg://user@host/db.",
    },
    "analytics.source_dialect_unsupported": {
        "zh": "不支持的数据库类型“{dialect}”；支持：{accepted}。",
        "en": "Unsupported database dialect '{dialect}'; accepted: {accepted}.",
    },
    "analytics.source_admin_only": {
        "zh": "只有管理员密钥可以添加或删除数据源；请让管理员操作，当前密钥可以列出和查询已有数据源。",
        "en": "Only the admin key may add or delete data sources; ask an administrator. This key may list and query existing sources.",
    },
    "analytics.source_is_suite_database": {
        "zh": "数据源地址“{url}”指向本套件自身的数据库（存放密钥和任务），不能注册为数据源；请填写业务数据库的地址。",
        "en": "Data source URL '{url}' points at the suite's own database (keys and jobs) and cannot be a data source; give the URL of a business database.",
    },
    "analytics.source_unreadable": {
        "zh": "无法读取数据源“{name}”：{reason}。请检查该数据源是否为有效的数据库。",
        "en": "The data source '{name}' cannot be read: {reason}. Check that the source is a valid database.",
    },
    "analytics.source_unreachable": {
        "zh": "无法以只读方式连接数据源“{name}”：{reason}。请检查地址、账号和文件是否存在。",
        "en": "Could not open data source '{name}' read-only: {reason}. Check the URL, the account and that the file exists.",
    },
    "analytics.sql_parse_failed": {
        "zh": "SQL 无法解析：{reason}。SQL：{sql}",
        "en": "The SQL could not be parsed: {reason}. SQL: {sql}",
    },
    "analytics.sql_multiple_statements": {
        "zh": "只允许一条 SQL 语句，实际有 {count} 条。SQL：{sql}",
        "en": "Exactly one SQL statement is allowed, found {count}. SQL: {sql}",
    },
    "analytics.sql_not_readonly": {
        "zh": "只允许只读查询（SELECT、WITH、UNION），不允许 {statement}。SQL：{sql}",
        "en": "Only read-only queries (SELECT, WITH, UNION) are allowed, not {statement}. SQL: {sql}",
    },
    "analytics.sql_table_not_allowed": {
        "zh": "不允许查询表“{table}”；可用的表：{allowed}。SQL：{sql}",
        "en": "Table '{table}' may not be queried; allowed tables: {allowed}. SQL: {sql}",
    },
    "analytics.sql_column_unknown": {
        "zh": "SQL 中有列无法解析：{reason}。该列不存在，或多张表都有同名列而未写表名；请只用表结构中的列，并写成 表名.列名。SQL：{sql}",
        "en": (
            "The SQL has a column that cannot be resolved: {reason}. It does not exist, or several tables have it "
            "and it lacks a table name. Use only the schema's columns, written as table.column. SQL: {sql}"
        ),
    },
    "analytics.sql_function_denied": {
        "zh": "不允许调用函数 {function}（会读取文件、休眠或改动服务器）。SQL：{sql}",
        "en": "Function {function} is not allowed (it reads files, sleeps or changes the server). SQL: {sql}",
    },
    "analytics.no_sql_in_reply": {
        "zh": "模型的回复中没有 SQL 查询，未执行任何语句。回复开头：{reply}",
        "en": "The model's reply contains no SQL query, so nothing was run. Reply starts with: {reply}",
    },
    "analytics.query_failed": {
        "zh": "查询在数据源“{source}”上执行失败：{reason}。SQL：{sql}",
        "en": "The query failed on data source '{source}': {reason}. SQL: {sql}",
    },
    "analytics.query_timeout": {
        "zh": "查询超过 {seconds} 秒被取消（设置项 XINGCHEN_ANALYTICS_QUERY_TIMEOUT）。SQL：{sql}",
        "en": "The query was cancelled after {seconds} s (setting XINGCHEN_ANALYTICS_QUERY_TIMEOUT). SQL: {sql}",
    },
    "analytics.generation_failed": {
        "zh": "尝试 {attempts} 次后仍未得到可执行的 SQL。最后的 SQL：{sql}；原因：{reason}。请换个说法提问，或补充术语表和示例。",
        "en": "No runnable SQL after {attempts} attempts. Last SQL: {sql}; reason: {reason}. Rephrase the question or add glossary terms and examples.",
    },
    "analytics.write_refused": {
        "zh": "只允许只读查询，而这个问题要求改动数据：模型写出的 {statement} 语句已被拒绝，未执行。请改问查询数据的问题。SQL：{sql}",
        "en": (
            "Only read-only queries are allowed, and this question asks to change data: the model's {statement} "
            "statement was refused and not run. Ask a question that reads data instead. SQL: {sql}"
        ),
    },
    "analytics.question_writes": {
        "zh": "只允许只读查询，而这个问题要求改动数据（{statement}），未执行任何语句。请改问查询数据的问题。",
        "en": "Only read-only queries are allowed, and this question asks to change data ({statement}), so nothing was run. Ask a question that reads data instead.",
    },
    "analytics.question_empty": {
        "zh": "问题为空；请输入要分析的业务问题，例如：2025年各地区收入排名。",
        "en": "The question is empty; enter a business question, for example: revenue by region in 2025.",
    },
    "analytics.rows_out_of_range": {
        "zh": "打印的行数 {rows} 超出范围；允许 1 到 {maximum}。",
        "en": "Rows to print ({rows}) is out of range; allowed: 1 to {maximum}.",
    },
    "analytics.turn_not_found": {
        "zh": "查询结果“{turn_id}”不存在或不属于当前密钥。",
        "en": "Query result '{turn_id}' was not found or belongs to another key.",
    },
    "analytics.glossary_not_found": {
        "zh": "术语“{term_id}”不存在。",
        "en": "Glossary term '{term_id}' was not found.",
    },
    "analytics.example_not_found": {
        "zh": "示例“{example_id}”不存在。",
        "en": "Example '{example_id}' was not found.",
    },
    "analytics.report_format_invalid": {
        "zh": "不支持的报告格式“{format}”；支持：{accepted}。",
        "en": "Unsupported report format '{format}'; accepted: {accepted}.",
    },
    "analytics.font_missing": {
        "zh": "图表字体目录“{path}”不存在（设置项 XINGCHEN_ANALYTICS_FONT_DIR）。请安装 fonts-noto-cjk 或指向含中文字体的目录。",
        "en": "Chart font folder '{path}' does not exist (setting XINGCHEN_ANALYTICS_FONT_DIR). Install fonts-noto-cjk or point it at a folder with CJK fonts.",
    },
    "analytics.chart_failed": {
        "zh": "图表渲染失败：{reason}",
        "en": "Chart rendering failed: {reason}",
    },
}

register_messages(MESSAGES)
