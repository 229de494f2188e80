"""Message texts of the document loading errors (codes `documents.*`)."""

from services.core.i18n import Language, register_messages

MESSAGES: dict[str, dict[Language, str]] = {
    "documents.empty": {
        "zh": "文件“{filename}”为空（0 字节）。请提供有内容的文件。",
        "en": "The file '{filename}' is empty (0 bytes). Provide a file with content.",
    },
    "documents.too_large": {
        "zh": (
            "文件“{filename}”过大：{size} 字节，上限为 {limit} 字节（设置项 {setting}）。"
            "请拆分文件，或请管理员调高该设置。"
        ),
        "en": (
            "The file '{filename}' is too large: {size} bytes; the limit is {limit} bytes "
            "(setting {setting}). Split the file, or ask an administrator to raise the setting."
        ),
    },
    "documents.too_many_chars": {
        "zh": ("文件“{filename}”提取出的文本超过 {limit} 个字符的上限（设置项 {setting}）。请拆分文件后分别上传。"),
        "en": (
            "The text extracted from '{filename}' exceeds the limit of {limit} characters "
            "(setting {setting}). Split the file and upload the parts separately."
        ),
    },
    "documents.unpacked_too_large": {
        "zh": (
            "文件“{filename}”解压后为 {size} 字节，超过 {limit} 字节的上限，可能是压缩炸弹。"
            "请检查文件，或拆分后再上传。"
        ),
        "en": (
            "The file '{filename}' unpacks to {size} bytes, more than the limit of {limit} bytes; "
            "it may be a zip bomb. Check the file, or split it and upload the parts."
        ),
    },
    "documents.unsupported_type": {
        "zh": "不支持文件“{filename}”的类型“{extension}”。支持的扩展名：{accepted}。",
        "en": ("The file '{filename}' has the unsupported type '{extension}'. Accepted extensions: {accepted}."),
    },
    "documents.corrupt": {
        "zh": ("文件“{filename}”已损坏，或不是有效的 {format} 文件：{reason}。请用原软件重新保存或导出后再上传。"),
        "en": (
            "The file '{filename}' is corrupt or not a valid {format} file: {reason}. "
            "Re-save or re-export it from the original application and upload it again."
        ),
    },
    "documents.content_mismatch": {
        "zh": ("文件“{filename}”的内容不是 {format} 格式：{detail}。请确认扩展名与文件内容一致，或用原软件重新导出。"),
        "en": (
            "The content of '{filename}' is not in {format} format: {detail}. "
            "Check that the extension matches the content, or re-export the file."
        ),
    },
    "documents.legacy_word": {
        "zh": (
            "文件“{filename}”是旧版 Word（.doc）文件或受密码保护的 .docx 文件。"
            "请在 Word 中将其另存为不带密码的 .docx 文件后再上传。"
        ),
        "en": (
            "The file '{filename}' is an old Word (.doc) file or a password-protected .docx file. "
            "Save it in Word as a .docx file without a password and upload it again."
        ),
    },
    "documents.unknown_encoding": {
        "zh": ("无法识别文件“{filename}”的文字编码（已尝试 {tried}）。请将文件另存为 UTF-8 编码后再上传。"),
        "en": (
            "The text encoding of '{filename}' was not recognised (tried {tried}). "
            "Save the file as UTF-8 and upload it again."
        ),
    },
    "documents.encrypted": {
        "zh": "PDF 文件“{filename}”已加密，需要密码才能打开。请去除密码后再上传。",
        "en": (
            "The PDF file '{filename}' is encrypted and needs a password to open. "
            "Remove the password and upload it again."
        ),
    },
    "documents.encryption_unsupported": {
        "zh": ("PDF 文件“{filename}”使用了本服务无法解密的加密方式（{reason}）。请去除加密后再上传。"),
        "en": (
            "The PDF file '{filename}' uses an encryption that this service cannot decrypt "
            "({reason}). Remove the encryption and upload it again."
        ),
    },
    "documents.pdf_no_text_layer": {
        "zh": (
            "PDF 文件“{filename}”的 {pages} 页中都没有找到文字层，它可能是扫描件。"
            "请先用 OCR 软件识别文字，再上传识别后的文件。"
        ),
        "en": (
            "No text layer was found on any of the {pages} pages of the PDF file '{filename}'; "
            "it is probably scanned. Run OCR on it first and upload the result."
        ),
    },
    "documents.no_text": {
        "zh": "文件“{filename}”中没有可提取的文字。请检查文件内容，或另存为其他格式后再上传。",
        "en": (
            "The file '{filename}' contains no text that can be extracted. "
            "Check its content, or save it in another format and upload it again."
        ),
    },
    "documents.not_text": {
        "zh": "文件“{filename}”不是文本文档（看起来是{kind}）。请上传文本内容的文件，或使用与文件内容相符的扩展名。",
        "en": (
            "The file '{filename}' is not a text document (it looks like {kind}). "
            "Upload a file with text content, or use the extension that matches its content."
        ),
    },
    "documents.file_not_found": {
        "zh": "未找到文件“{path}”。请检查路径。",
        "en": "The file '{path}' was not found. Check the path.",
    },
    "documents.folder_not_found": {
        "zh": "未找到文件夹“{path}”。请检查路径。",
        "en": "The folder '{path}' was not found. Check the path.",
    },
    "documents.not_a_file": {
        "zh": "“{path}”是文件夹，不是文件。请给出文件的路径。",
        "en": "'{path}' is a folder, not a file. Give the path of a file.",
    },
    "documents.not_a_folder": {
        "zh": "“{path}”是文件，不是文件夹。请给出文件夹的路径。",
        "en": "'{path}' is a file, not a folder. Give the path of a folder.",
    },
    "documents.file_unreadable": {
        "zh": "无法读取文件“{path}”：{reason}",
        "en": "The file '{path}' cannot be read: {reason}",
    },
}

register_messages(MESSAGES)
